'use client';
// Settings: the API token, kept by the app's server in an httpOnly cookie (never in page JavaScript or a URL).
import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

const sessionKey = ['session'] as const;

async function saveToken(token: string | null): Promise<void> {
  const res = await fetch('/session', token ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) } : { method: 'DELETE' });
  if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `failed (${res.status})`);
}

export function SettingsButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const [token, setToken] = useState('');
  const client = useQueryClient();
  const session = useQuery({ queryKey: sessionKey, queryFn: () => fetch('/session').then((r) => r.json() as Promise<{ hasToken: boolean }>) });
  const apply = async (value: string | null) => {
    try {
      await saveToken(value);
      setToken('');
      close();
      await client.invalidateQueries();
      notifications.show({ message: value ? 'Token saved.' : 'Token removed.' });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not save the token', message: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <>
      <Button variant="default" onClick={open} data-settings>
        Settings
      </Button>
      <Modal opened={opened} onClose={close} title="Settings">
        <Stack>
          <Text size="sm">
            With auth on, the API needs a token (<code>npm run token -- create --name me --scopes read,write</code>). The dashboard keeps it in an httpOnly cookie and sends it to the API for you.
          </Text>
          <Text size="sm" c="dimmed">
            {session.data?.hasToken ? 'A token is set.' : 'No token is set.'}
          </Text>
          <PasswordInput label="API token" value={token} onChange={(e) => setToken(e.currentTarget.value)} autoComplete="off" />
          <Group justify="flex-end">
            {session.data?.hasToken && (
              <Button variant="subtle" color="red" onClick={() => apply(null)}>
                Remove token
              </Button>
            )}
            <Button onClick={() => apply(token)} disabled={!token.trim()}>
              Save
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
