'use client';
// /datasets/[id]: a paged grid of thumbnails with count, shape and labels, rejected entries, and the runs that used it.
import { Group, Image, List, Pagination, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { dateTime } from '@/lib/format';
import { datasetOptions } from '@/lib/queries/datasets';
import { EmptyState } from '../common/EmptyState';
import { ErrorState } from '../common/ErrorState';
import { PanelSkeleton } from '../common/PanelSkeleton';
import { RelatedRuns } from '../runs/RelatedRuns';

const PER_PAGE = 48;

export function DatasetDetailView({ id }: { id: string }) {
  const dataset = useQuery(datasetOptions(id));
  const [page, setPage] = useState(1);
  if (dataset.isPending) return <PanelSkeleton rows={8} />;
  if (dataset.isError) return <ErrorState error={dataset.error} onRetry={() => dataset.refetch()} />;
  const d = dataset.data;
  if (!d) return <EmptyState title="Dataset not found" message="It may have been deleted." href="/datasets" action="Back to the datasets" />;
  const pages = Math.max(1, Math.ceil(d.itemCount / PER_PAGE));
  const first = (page - 1) * PER_PAGE;
  const indices = Array.from({ length: Math.min(PER_PAGE, d.itemCount - first) }, (_, i) => first + i);
  return (
    <Stack data-dataset={d.id}>
      <Title order={2}>{d.name}</Title>
      <Paper withBorder p="md">
        <Group gap="xl">
          <Text size="sm">
            <b>{d.itemCount.toLocaleString('en-US')}</b> images
          </Text>
          <Text size="sm">shape {d.itemShape.join('×')} (H×W×C)</Text>
          <Text size="sm">
            {d.kind.toLowerCase()} · {d.format}
          </Text>
          <Text size="sm" c="dimmed">
            {d.sourceSpec} · added {dateTime(d.createdAt)}
          </Text>
        </Group>
        {d.labels.length > 0 && (
          <Text size="sm" mt="xs">
            Labels: {d.labels.join(', ')}
          </Text>
        )}
      </Paper>
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>
            Images {first}–{first + indices.length - 1}
          </Title>
          <Pagination total={pages} value={page} onChange={setPage} size="sm" getItemProps={(p) => ({ 'aria-label': `Page ${p}` })} getControlProps={(control) => ({ 'aria-label': `${control} page` })} />
        </Group>
        <SimpleGrid cols={{ base: 6, sm: 8, md: 12 }} spacing={6} data-thumbnails>
          {indices.map((i) => (
            <Stack key={i} gap={0} align="center">
              <Image src={`/v1/datasets/${d.id}/items/${i}.png`} alt={`image ${i}`} w={56} h={56} fit="contain" style={{ imageRendering: 'pixelated', background: '#000' }} loading="lazy" />
              <Text size="xs" c="dimmed">
                {i}
              </Text>
            </Stack>
          ))}
        </SimpleGrid>
      </Paper>
      {d.rejected.length > 0 && (
        <Paper withBorder p="md">
          <Title order={4} mb="xs">
            Rejected at import ({d.rejected.length})
          </Title>
          <List size="sm">
            {d.rejected.slice(0, 100).map((r) => (
              <List.Item key={r.entry}>
                <code>{r.entry}</code>: {r.reason}
              </List.Item>
            ))}
          </List>
        </Paper>
      )}
      <RelatedRuns filters={{ datasetId: d.id }} empty="No run has used this dataset yet." />
    </Stack>
  );
}
