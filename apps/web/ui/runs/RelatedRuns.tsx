'use client';
// The runs that used a model or a dataset (on their detail pages).
import { Anchor, Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { dateTime, percent } from '@/lib/format';
import { runListOptions, type RunFilters } from '@/lib/queries/runs';
import { ErrorState } from '../common/ErrorState';
import { PanelSkeleton } from '../common/PanelSkeleton';
import { StatusBadge } from './RunStatus';

export function RelatedRuns({ filters, empty }: { filters: Pick<RunFilters, 'modelId' | 'datasetId'>; empty: string }) {
  const runs = useQuery(runListOptions({ ...filters, first: 50 }));
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="sm">
        Runs{runs.data ? ` (${runs.data.totalCount})` : ''}
      </Title>
      {runs.isPending ? (
        <PanelSkeleton rows={3} />
      ) : runs.isError ? (
        <ErrorState error={runs.error} onRetry={() => runs.refetch()} />
      ) : runs.data.edges.length === 0 ? (
        <Text c="dimmed">{empty}</Text>
      ) : (
        <Table data-related-runs>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Run</Table.Th>
              <Table.Th>In → OOD</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>ODIN FPR at 95% TPR</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.data.edges.map(({ node: r }) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Anchor component={Link} href={`/runs/${r.id}`}>
                    {r.model.name} · {dateTime(r.createdAt)}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {r.inDataset.name} → {r.outDatasets.map((d) => d.name).join(', ')}
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={r.status} />
                </Table.Td>
                <Table.Td>{r.results.map((x) => percent(x.odin.fprAt95Tpr)).join(' · ') || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
