'use client';
// Make a noise set (uniform or Gaussian) shaped like a chosen model's input.
import { Button, Group, NumberInput, Paper, Select, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { SyntheticKind } from '@/lib/gql/graphql';
import { ErrorAlert } from '../common/ErrorAlert';
import { useCreateSyntheticDataset } from '@/lib/queries/datasets';
import { modelListOptions } from '@/lib/queries/models';

export function SyntheticForm() {
  const models = useQuery(modelListOptions(undefined, 100));
  const create = useCreateSyntheticDataset();
  const router = useRouter();
  const [kind, setKind] = useState<SyntheticKind>('UNIFORM');
  const [count, setCount] = useState<number | string>(1000);
  const [like, setLike] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [seed, setSeed] = useState<number | string>(0);
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="sm">
        Create a noise set
      </Title>
      <Group align="flex-end" wrap="wrap">
        <Select
          label="Noise"
          data={[
            { value: 'UNIFORM', label: 'Uniform U[0,1)' },
            { value: 'GAUSSIAN', label: 'Gaussian N(0.5, 1), clamped' },
          ]}
          value={kind}
          onChange={(v) => setKind((v as SyntheticKind | null) ?? 'UNIFORM')}
          allowDeselect={false}
        />
        <NumberInput label="Images" value={count} onChange={setCount} min={1} max={1_000_000} w={120} />
        <Select label="Shaped like the input of" placeholder="28×28×1" clearable data={models.data?.edges.map((e) => ({ value: e.node.id, label: e.node.name })) ?? []} value={like} onChange={setLike} />
        <TextInput label="Name" placeholder="automatic" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <NumberInput label="Seed" value={seed} onChange={setSeed} w={90} />
        <Button
          loading={create.isPending}
          onClick={() =>
            create.mutate(
              { kind, count: Number(count), like: like ?? undefined, name: name.trim() || undefined, seed: Number(seed) },
              { onSuccess: (d) => router.push(`/datasets/${d.id}`) },
            )
          }
          data-create-synthetic
        >
          Create
        </Button>
      </Group>
      {create.isError && <ErrorAlert mt="sm" error={create.error} />}
    </Paper>
  );
}
