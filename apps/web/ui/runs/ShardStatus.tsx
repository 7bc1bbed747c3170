'use client';
// How a running run's shards stand, and, when a worker was lost, that its shard waits for a retry on another worker.
import { Alert, Text } from '@mantine/core';
import type { RunQuery } from '@/lib/gql/graphql';
import { duration } from '@/lib/format';
import { useHydrated } from '@/lib/use-hydrated';

type Shards = NonNullable<RunQuery['run']>['shards'];

export function ShardStatus({ shards }: { shards: Shards }) {
  const hydrated = useHydrated();
  const { total, waiting, running, stalled, done, stalledSince } = shards;
  if (total === 0) return null;
  const parts = [`${done} of ${total} shards done`, running && `${running} running`, waiting && `${waiting} waiting for a worker`].filter(Boolean);
  return (
    <>
      <Text size="xs" c="dimmed" data-shards data-total={total} data-done={done} data-running={running} data-waiting={waiting} data-stalled={stalled}>
        {parts.join(' · ')}
      </Text>
      {stalled > 0 && (
        <Alert color="orange" title="Retrying: a worker stopped responding" data-shards-stalled={stalled}>
          {stalled === 1 ? 'One shard was' : `${stalled} shards were`} being scored by a worker that has not reported
          {hydrated && stalledSince ? ` for ${duration(Date.now() - new Date(stalledSince).getTime())}` : ' lately'}. Another worker takes
          {stalled === 1 ? ' it' : ' them'} over once the job expires, and carries on from the batches already stored.
        </Alert>
      )}
    </>
  );
}
