'use client';
// /compare?ids=a,b,…: 2–6 runs side by side: settings, ODIN's metrics per OOD set with the best per row marked, ROC curves overlaid.
import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import type { CompareQuery } from '@/lib/gql/graphql';
import { percent } from '@/lib/format';
import { compareOptions } from '@/lib/queries/runs';
import { CurveChart } from '../charts/CurveChart';
import { EmptyState } from '../common/EmptyState';
import { ErrorState } from '../common/ErrorState';
import { PanelSkeleton } from '../common/PanelSkeleton';
import { METRICS, POSITIVE_CLASS_NOTE } from '../runs/MetricsTable';
import { settingsLabel } from '../runs/settings';

export const MAX_COMPARED = 6;
type Run = CompareQuery['compareRuns'][number];

/** Distinct in lightness and dash as well as hue, so colour-blind readers can tell the runs apart. */
const COLORS = ['#1c7ed6', '#e8590c', '#2b8a3e', '#ae3ec9', '#495057', '#f59f00'];

function outSets(runs: Run[]) {
  const seen = new Map<string, string>();
  for (const r of runs) for (const x of r.results) seen.set(x.outDataset.id, x.outDataset.name);
  return [...seen];
}

function CompareTable({ runs }: { runs: Run[] }) {
  return (
    <Table withTableBorder withColumnBorders data-compare-table>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>OOD set · ODIN metric</Table.Th>
          {runs.map((r, i) => (
            <Table.Th key={r.id} style={{ color: COLORS[i] }}>
              <Anchor component={Link} href={`/runs/${r.id}`}>
                Run {i + 1}
              </Anchor>
              <Text size="xs" c="dimmed">
                {r.model.name} · {r.inDataset.name} · {settingsLabel(r.settings)}
              </Text>
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {outSets(runs).flatMap(([outId, outName]) =>
          METRICS.map(({ key, label, lowerIsBetter }) => {
            const values = runs.map((r) => r.results.find((x) => x.outDataset.id === outId)?.odin[key]);
            const present = values.filter((v): v is number => v !== undefined);
            const best = present.length > 1 ? (lowerIsBetter ? Math.min(...present) : Math.max(...present)) : undefined;
            return (
              <Table.Tr key={`${outId}:${key}`}>
                <Table.Td>
                  {outName} · {label}
                </Table.Td>
                {values.map((v, i) => (
                  <Table.Td key={runs[i].id} ta="right" ff="monospace" fw={v === best ? 700 : 400} data-run={runs[i].id} data-out={outId} data-metric={key} data-value={v ?? ''} data-best={v !== undefined && v === best}>
                    {v === undefined ? '—' : `${percent(v)}${v === best ? ' ★' : ''}`}
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          }),
        )}
      </Table.Tbody>
      <Table.Caption>★ best per row. {POSITIVE_CLASS_NOTE}</Table.Caption>
    </Table>
  );
}

export function CompareView() {
  const ids = (useSearchParams().get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean).slice(0, MAX_COMPARED);
  const runs = useQuery({ ...compareOptions(ids), enabled: ids.length > 0 });
  if (ids.length === 0) return <EmptyState title="Nothing to compare yet" message="Select two to six runs in the runs list and press Compare." href="/runs" action="Go to the runs" />;
  if (runs.isPending) return <PanelSkeleton rows={8} />;
  if (runs.isError) return <ErrorState error={runs.error} onRetry={() => runs.refetch()} />;
  const list = runs.data;
  return (
    <Stack data-compare={list.length}>
      <Title order={2}>Compare {list.length} run{list.length === 1 ? '' : 's'}</Title>
      {list.length === 1 && (
        <Text c="dimmed">
          Add more runs: select them in the{' '}
          <Anchor component={Link} href="/runs" underline="always">
            runs list
          </Anchor>{' '}
          and press Compare.
        </Text>
      )}
      <CompareTable runs={list} />
      {outSets(list).map(([outId, outName]) => (
        <CurveChart
          key={outId}
          chart="compare-roc"
          title={`ODIN ROC against ${outName}`}
          xLabel="FPR"
          yLabel="TPR"
          series={list.flatMap((r, i) => {
            const x = r.results.find((res) => res.outDataset.id === outId);
            return x ? [{ name: `Run ${i + 1}`, color: COLORS[i], x: x.curves.odin.roc.fpr, y: x.curves.odin.roc.tpr, mark: { x: x.odin.fprAt95Tpr, y: 0.95 } }] : [];
          })}
        />
      ))}
    </Stack>
  );
}
