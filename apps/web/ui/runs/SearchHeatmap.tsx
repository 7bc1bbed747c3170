'use client';
// A search run's T×ε grid on the validation split: FPR at 95% TPR (or AUROC) per cell, the chosen setting marked.
import { Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { interpolateViridis } from 'd3-scale-chromatic';
import { useState } from 'react';
import type { GridCell } from '@/lib/gql/graphql';
import { percent } from '@/lib/format';

type GridMetric = 'fprAt95Tpr' | 'auroc';

const METRIC_LABELS: Record<GridMetric, string> = { fprAt95Tpr: 'FPR at 95% TPR (lower is better)', auroc: 'AUROC (higher is better)' };

const sortedUnique = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

/** Viridis from dark (worst) to light (best), so better cells stand out without relying on hue. */
function cellColours(metric: GridMetric, values: number[]) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return (v: number) => {
    const goodness = hi === lo ? 1 : metric === 'auroc' ? (v - lo) / (hi - lo) : (hi - v) / (hi - lo);
    return { background: interpolateViridis(goodness), color: goodness > 0.6 ? '#000' : '#fff' };
  };
}

export function SearchHeatmap({ grid, chosen, validationCount }: { grid: Pick<GridCell, 'temperature' | 'epsilon' | 'fprAt95Tpr' | 'auroc'>[]; chosen: { temperature: number; epsilon: number }; validationCount?: number }) {
  const [metric, setMetric] = useState<GridMetric>('fprAt95Tpr');
  const temperatures = sortedUnique(grid.map((c) => c.temperature));
  const epsilons = sortedUnique(grid.map((c) => c.epsilon));
  const cell = new Map(grid.map((c) => [`${c.temperature}|${c.epsilon}`, c]));
  const colour = cellColours(metric, grid.map((c) => c[metric]));

  return (
    <Stack gap="xs" data-heatmap data-metric={metric}>
      <Group justify="space-between" align="end">
        <div>
          <Title order={4}>Search: T × ε</Title>
          <Text size="sm" c="dimmed">
            Each cell is scored on the validation split{validationCount ? ` (the first ${validationCount.toLocaleString('en-US')} images of each set)` : ''}; the metrics above use the rest. The chosen cell (★) has the lowest FPR at 95% TPR, ties going to higher AUROC.
          </Text>
        </div>
        <SegmentedControl
          aria-label="Heatmap metric"
          value={metric}
          onChange={(m) => setMetric(m as GridMetric)}
          data={[
            { value: 'fprAt95Tpr', label: 'FPR95' },
            { value: 'auroc', label: 'AUROC' },
          ]}
        />
      </Group>
      <div style={{ overflowX: 'auto' }}>
        <table style={{ borderCollapse: 'collapse', fontSize: 11, fontFamily: 'monospace' }} aria-label={`Search grid: ${METRIC_LABELS[metric]}`}>
          <thead>
            <tr>
              <th scope="col" style={{ padding: 4, textAlign: 'left' }}>
                T \ ε
              </th>
              {epsilons.map((e) => (
                <th key={e} scope="col" style={{ padding: 4, textAlign: 'right' }}>
                  {e}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {temperatures.map((t) => (
              <tr key={t}>
                <th scope="row" style={{ padding: 4, textAlign: 'right' }}>
                  {t}
                </th>
                {epsilons.map((e) => {
                  const c = cell.get(`${t}|${e}`);
                  if (!c) return <td key={e} />;
                  const isChosen = t === chosen.temperature && e === chosen.epsilon;
                  const value = c[metric];
                  return (
                    <td
                      key={e}
                      data-cell
                      data-temperature={t}
                      data-epsilon={e}
                      data-value={value}
                      data-chosen={isChosen || undefined}
                      title={`T = ${t}, ε = ${e}: FPR95 ${percent(c.fprAt95Tpr, 2)}, AUROC ${percent(c.auroc, 2)}${isChosen ? ' (chosen)' : ''}`}
                      style={{ ...colour(value), padding: '4px 6px', textAlign: 'right', outline: isChosen ? '3px solid #e8590c' : undefined, outlineOffset: -3, fontWeight: isChosen ? 700 : 400 }}
                    >
                      {isChosen ? '★ ' : ''}
                      {percent(value, 1)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Stack>
  );
}
