// The frame every chart sits in: a titled panel at least 320×240, tagged with data-chart for the tests.
import { Paper, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

export function ChartFrame({ title, chart, height = 260, children }: { title: string; chart: string; height?: number; children: ReactElement }) {
  return (
    <Paper withBorder p="sm" miw={340} style={{ flex: 1 }} data-chart={chart}>
      <Text size="sm" fw={600} mb={4}>
        {title}
      </Text>
      <div style={{ width: '100%', height, minWidth: 320 }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </Paper>
  );
}
