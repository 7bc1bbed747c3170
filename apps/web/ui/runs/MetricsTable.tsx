// The reference-style table: baseline against ODIN on the five metrics (fractions, shown as percentages).
import { Table } from '@mantine/core';
import { percent } from '@/lib/format';

type Metric = 'fprAt95Tpr' | 'detectionError' | 'auroc' | 'auprIn' | 'auprOut';
type OodMetrics = Record<Metric, number>;

/** Definitions as in docs/metrics.md; in-distribution is the positive class. */
const METRICS: { key: Metric; label: string; lowerIsBetter: boolean }[] = [
  { key: 'fprAt95Tpr', label: 'FPR at 95% TPR ↓', lowerIsBetter: true },
  { key: 'detectionError', label: 'Detection error ↓', lowerIsBetter: true },
  { key: 'auroc', label: 'AUROC ↑', lowerIsBetter: false },
  { key: 'auprIn', label: 'AUPR In ↑', lowerIsBetter: false },
  { key: 'auprOut', label: 'AUPR Out ↑', lowerIsBetter: false },
];

export function MetricsTable({ baseline, odin }: { baseline: OodMetrics; odin: OodMetrics }) {
  return (
    <Table withTableBorder withColumnBorders w="auto" data-metrics-table>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Metric</Table.Th>
          <Table.Th>Baseline (max softmax)</Table.Th>
          <Table.Th>ODIN</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {METRICS.map(({ key, label, lowerIsBetter }) => {
          const b = baseline[key];
          const o = odin[key];
          const best = b === o ? null : (o < b) === lowerIsBetter ? 'odin' : 'baseline';
          return (
            <Table.Tr key={key}>
              <Table.Td>{label}</Table.Td>
              {(['baseline', 'odin'] as const).map((method) => {
                const value = method === 'odin' ? o : b;
                return (
                  <Table.Td key={method} data-metric={key} data-method={method} data-value={value} fw={best === method ? 700 : 400} c={best === method ? 'teal' : undefined}>
                    {percent(value)}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
