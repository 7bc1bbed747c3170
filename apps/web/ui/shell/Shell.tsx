'use client';
// The app shell: navigation, API status, theme toggle and the token settings.
import { ActionIcon, AppShell, Badge, Group, NavLink, Text, Title, Tooltip, useMantineColorScheme } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { graphql } from '@/lib/gql';
import { ApiError, execute } from '@/lib/graphql';
import { SettingsButton } from './SettingsButton';

const Ping = graphql(`
  query Ping {
    __typename
  }
`);

const NAV = [
  { href: '/runs', label: 'Runs' },
  { href: '/models', label: 'Models' },
  { href: '/datasets', label: 'Datasets' },
  { href: '/spot-check', label: 'Spot check' },
];

const unreachable = (error: unknown) => error instanceof ApiError && error.code === 'UNREACHABLE';

/** Pings the API every 10 s, every 2 s while it is down; each answer refetches what failed for want of it, so pages recover by themselves. */
function ApiStatus() {
  const client = useQueryClient();
  const ping = useQuery({ queryKey: ['ping'], queryFn: () => execute(Ping), refetchInterval: (q) => (q.state.status === 'error' ? 2_000 : 10_000), retry: false });
  useEffect(() => {
    if (ping.isSuccess) void client.refetchQueries({ predicate: (q) => q.state.status === 'error' && unreachable(q.state.error) });
  }, [client, ping.isSuccess, ping.dataUpdatedAt]);
  if (ping.isPending) return <Badge variant="light" color="gray">API …</Badge>;
  if (ping.isError)
    return (
      <Tooltip label={ping.error.message}>
        <Badge variant="filled" color="red" data-api-status="down">
          API unreachable
        </Badge>
      </Tooltip>
    );
  return (
    <Badge variant="light" color="teal" data-api-status="up">
      API connected
    </Badge>
  );
}

function ThemeToggle() {
  const { toggleColorScheme } = useMantineColorScheme();
  return (
    <ActionIcon variant="default" size="lg" onClick={toggleColorScheme} aria-label="Toggle light and dark theme">
      ◐
    </ActionIcon>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 'sm' }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Title order={3}>ODIN</Title>
            <Text c="dimmed" size="sm">
              out-of-distribution detection
            </Text>
          </Group>
          <Group gap="xs">
            <ApiStatus />
            <ThemeToggle />
            <SettingsButton />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {NAV.map((item) => (
          <NavLink key={item.href} component={Link} href={item.href} label={item.label} active={pathname === item.href || pathname.startsWith(`${item.href}/`)} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
