'use client';
// Upload a dataset (.npy, IDX, zip/tar of images) and register it; the server's report lists rejected entries.
import { Alert, Button, Group, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import Link from 'next/link';
import { useState } from 'react';
import type { RegisterDatasetMutation } from '@/lib/gql/graphql';
import { useRegisterDataset } from '@/lib/queries/datasets';
import { ErrorAlert } from '../common/ErrorAlert';
import { FileDrop } from '../common/FileDrop';

type Registered = RegisterDatasetMutation['registerDataset'];

function Report({ dataset }: { dataset: Registered }) {
  return (
    <Alert color={dataset.rejected.length ? 'orange' : 'teal'} title={`Imported ${dataset.itemCount.toLocaleString('en-US')} images as “${dataset.name}”`} data-dataset-report>
      <Stack gap={4}>
        {dataset.rejected.length > 0 && (
          <>
            <Text size="sm">{dataset.rejected.length} entries were rejected:</Text>
            <List size="sm">
              {dataset.rejected.slice(0, 20).map((r) => (
                <List.Item key={r.entry}>
                  <code>{r.entry}</code>: {r.reason}
                </List.Item>
              ))}
            </List>
          </>
        )}
        <Link href={`/datasets/${dataset.id}`}>Open the dataset</Link>
      </Stack>
    </Alert>
  );
}

export function DatasetUpload() {
  const [uploaded, setUploaded] = useState<{ id: string; name: string } | null>(null);
  const [name, setName] = useState('');
  const register = useRegisterDataset();
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="sm">
        Upload a dataset
      </Title>
      <Stack>
        <FileDrop
          testId="dataset"
          label="Drop a dataset here, or click to choose"
          hint=".npy (N×H×W or N×H×W×C), IDX, or a .zip/.tar of PNG/JPEG images (folders as labels)"
          onUploaded={(b, f) => {
            setUploaded({ id: b.id, name: f.name });
            setName(f.name.replace(/\.(npy|idx\d?-ubyte|gz|zip|tar|tgz)+$/i, ''));
            register.reset();
          }}
        />
        {uploaded && !register.data && (
          <Group align="flex-end">
            <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: 1 }} data-field="dataset-name" />
            <Button onClick={() => register.mutate({ uploadId: uploaded.id, name: name.trim() })} loading={register.isPending} disabled={!name.trim()} data-register-dataset>
              Import
            </Button>
          </Group>
        )}
        {register.isError && <ErrorAlert error={register.error} data-import-error />}
        {register.data && <Report dataset={register.data} />}
      </Stack>
    </Paper>
  );
}
