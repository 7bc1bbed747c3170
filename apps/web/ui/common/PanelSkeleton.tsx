// The loading state of one panel.
import { Paper, Skeleton, Stack } from '@mantine/core';

export function PanelSkeleton({ rows = 4, height = 20 }: { rows?: number; height?: number }) {
  return (
    <Paper withBorder p="md" data-skeleton>
      <Stack gap="sm">
        {Array.from({ length: rows }, (_, i) => (
          <Skeleton key={i} height={height} width={i === 0 ? '40%' : '100%'} />
        ))}
      </Stack>
    </Paper>
  );
}
