'use client';
// A run's status badge, and while it runs a progress bar with images/s and the time left.
import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import type { RunStatus as Status } from '@/lib/gql/graphql';
import { duration, etaMs } from '@/lib/format';
import { useHydrated } from '@/lib/use-hydrated';

const COLORS: Record<Status, string> = { QUEUED: 'gray', RUNNING: 'blue', SUCCEEDED: 'teal', FAILED: 'red', CANCELLED: 'orange' };

export function StatusBadge({ status }: { status: Status }) {
  return (
    <Badge color={COLORS[status]} variant="light" data-status-badge={status}>
      {status.toLowerCase()}
    </Badge>
  );
}

interface Props {
  status: Status;
  progress: number;
  imagesPerSecond?: number | null;
  startedAt?: string | null;
  phase?: string | null;
  detailed?: boolean;
}

export function RunProgress({ status, progress, imagesPerSecond, startedAt, phase, detailed }: Props) {
  const active = status === 'QUEUED' || status === 'RUNNING';
  const hydrated = useHydrated();
  const eta = hydrated ? etaMs(progress, startedAt) : null;
  return (
    <Stack gap={4} miw={160}>
      <Group gap="xs" justify="space-between">
        <StatusBadge status={status} />
        {active && (
          <Text size="xs" c="dimmed">
            {Math.round(progress * 100)}%{imagesPerSecond ? ` · ${Math.round(imagesPerSecond).toLocaleString('en-US')} img/s` : ''}
            {detailed && eta != null ? ` · ${duration(eta)} left` : ''}
          </Text>
        )}
      </Group>
      {(active || detailed) && (
        <Progress value={progress * 100} color={status === 'FAILED' ? 'red' : status === 'CANCELLED' ? 'orange' : undefined} animated={status === 'RUNNING'} size={detailed ? 'lg' : 'sm'} data-progress={progress} aria-label="Run progress" />
      )}
      {detailed && active && phase && (
        <Text size="xs" c="dimmed">
          {phase}
        </Text>
      )}
    </Stack>
  );
}
