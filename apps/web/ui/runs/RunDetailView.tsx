'use client';
// /runs/[id]: the run's settings and live progress, then one panel per OOD set, all in the page at once.
import { Alert, Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { readableError } from '@/lib/errors';
import { percent } from '@/lib/format';
import { isActive, runOptions, useCancelRun, useRerun } from '@/lib/queries/runs';
import { EmptyState } from '../common/EmptyState';
import { Elapsed, LocalTime } from '../common/LocalTime';
import { Fact } from '../common/Fact';
import { ErrorState, StaleNotice } from '../common/ErrorState';
import { PanelSkeleton } from '../common/PanelSkeleton';
import { ExportMenu } from './ExportMenu';
import { ResultPanel } from './ResultPanel';
import { RunProgress } from './RunStatus';
import { ShardStatus } from './ShardStatus';
import { settingsLabel } from './settings';

export function RunDetailView({ id }: { id: string }) {
  const run = useQuery(runOptions(id));
  const cancel = useCancelRun();
  const rerun = useRerun();
  const router = useRouter();
  if (run.isPending)
    return (
      <Stack>
        <PanelSkeleton rows={3} />
        <PanelSkeleton rows={8} height={40} />
      </Stack>
    );
  if (run.isError && !run.data) return <ErrorState error={run.error} onRetry={() => run.refetch()} />;
  const r = run.data;
  if (!r) return <EmptyState title="Run not found" message="It may have been deleted." href="/runs" action="Back to the runs" />;
  const active = isActive(r.status);
  const onError = (error: unknown) => notifications.show({ color: 'red', ...readableError(error) });
  return (
    <Stack data-run={r.id} data-status={r.status}>
      {run.isError && <StaleNotice error={run.error} />}
      <Group justify="space-between">
        <Title order={2}>
          {r.model.name} on {r.inDataset.name}
        </Title>
        <Group gap="xs">
          {active ? (
            <Button color="red" variant="light" loading={cancel.isPending} onClick={() => cancel.mutate(r.id, { onError })} data-cancel-run>
              Cancel
            </Button>
          ) : (
            <Button variant="light" loading={rerun.isPending} onClick={() => rerun.mutate(r.id, { onSuccess: (n) => router.push(`/runs/${n.id}`), onError })} data-rerun>
              Rerun
            </Button>
          )}
          {r.status === 'SUCCEEDED' && (
            <Button component={Link} href={`/spot-check?model=${r.model.id}&run=${r.id}`} variant="light" data-spot-check-link>
              Spot check images
            </Button>
          )}
          {r.status === 'SUCCEEDED' && <ExportMenu run={r} />}
        </Group>
      </Group>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Fact label="Model">
            <Anchor component={Link} href={`/models/${r.model.id}`}>
              {r.model.name}
            </Anchor>
          </Fact>
          <Fact label="In-distribution">
            <Anchor component={Link} href={`/datasets/${r.inDataset.id}`}>
              {r.inDataset.name}
            </Anchor>
          </Fact>
          <Fact label="OOD sets">
            {r.outDatasets.map((d, i) => (
              <span key={d.id}>
                {i > 0 && ', '}
                <Anchor component={Link} href={`/datasets/${d.id}`}>
                  {d.name}
                </Anchor>
              </span>
            ))}
          </Fact>
          <Fact label="Settings">
            {settingsLabel(r.settings)} · {r.backend.toLowerCase()} · batch {r.batchSize}
          </Fact>
          <Fact label="Created">
            <LocalTime iso={r.createdAt} />
          </Fact>
          <Fact label="Duration">
            <Elapsed startedAt={r.startedAt} finishedAt={r.finishedAt} />
          </Fact>
          <Fact label="Throughput">{r.imagesPerSecond ? `${Math.round(r.imagesPerSecond).toLocaleString('en-US')} images/s` : '—'}</Fact>
          <Fact label="Top-1 accuracy (in-distribution)">{percent(r.accuracy, 2)}</Fact>
        </SimpleGrid>
        <Stack mt="md">
          <RunProgress status={r.status} progress={r.progress} imagesPerSecond={r.imagesPerSecond} startedAt={r.startedAt} phase={r.phase} detailed />
          {active && <ShardStatus shards={r.shards} />}
        </Stack>
      </Paper>
      {r.status === 'FAILED' && (
        <Alert color="red" title="The run failed" data-run-error>
          {r.error ?? 'No reason was recorded.'}
        </Alert>
      )}
      {r.status === 'CANCELLED' && (
        <Alert color="orange" title="Cancelled">
          The run was cancelled; what it had scored is kept. Rerun starts it again with the same settings.
        </Alert>
      )}
      {active &&
        r.outDatasets.map((d) => (
          <Paper key={d.id} withBorder p="md">
            <Text fw={600} mb="sm">
              {r.inDataset.name} vs {d.name}
            </Text>
            <Text size="sm" c="dimmed">
              Metrics, curves and histograms appear when the run has scored every set.
            </Text>
          </Paper>
        ))}
      {r.results.map((result) => (
        <ResultPanel key={result.outDatasetId} runId={r.id} result={result} inName={r.inDataset.name} inDatasetId={r.inDataset.id} validationCount={r.settings.search?.validationCount} />
      ))}
    </Stack>
  );
}
