// The reference-style table: baseline against ODIN on the five metrics (fractions, shown as percentages).
import { Anchor, Table, Tooltip } from '@mantine/core';
import Link from 'next/link';
import { percent } from '@/lib/format';

type Metric = 'fprAt95Tpr' | 'detectionError' | 'auroc' | 'auprIn' | 'auprOut';
type OodMetrics = Record<Metric, number>;

/** Definitions as in docs/metrics.md; in-distribution is the positive class (s = score, "in" iff s ≥ t). */
export const METRICS: { key: Metric; label: string; lowerIsBetter: boolean; definition: string }[] = [
  { key: 'fprAt95Tpr', label: 'FPR at 95% TPR ↓', lowerIsBetter: true, definition: 'P(s_out ≥ t) at the largest t with P(s_in ≥ t) ≥ 0.95: the share of OOD images let through when 95% of in-distribution images are kept.' },
  { key: 'detectionError', label: 'Detection error ↓', lowerIsBetter: true, definition: 'min over t of ½·P(s_in < t) + ½·P(s_out ≥ t).' },
  { key: 'auroc', label: 'AUROC ↑', lowerIsBetter: false, definition: 'Area under the ROC curve (TPR against FPR), ties counting ½.' },
  { key: 'auprIn', label: 'AUPR In ↑', lowerIsBetter: false, definition: 'Average precision with the in-distribution images as positives.' },
  { key: 'auprOut', label: 'AUPR Out ↑', lowerIsBetter: false, definition: 'Average precision with the OOD images as positives (scores negated).' },
];

export const POSITIVE_CLASS_NOTE = 'In-distribution is the positive class, as in the ODIN paper; OpenOOD and pytorch-ood take OOD as positive, so their FPR at 95% TPR is a different number.';

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
        {METRICS.map(({ key, label, lowerIsBetter, definition }) => {
          const b = baseline[key];
          const o = odin[key];
          const best = b === o ? null : (o < b) === lowerIsBetter ? 'odin' : 'baseline';
          return (
            <Table.Tr key={key}>
              <Table.Td>
                <Tooltip label={`${definition} Click for every definition.`} multiline w={320} withArrow>
                  <Anchor component={Link} href="/docs/metrics" size="sm" c="inherit" underline="always" style={{ textDecorationStyle: 'dotted' }} data-metric-doc={key}>
                    {label}
                  </Anchor>
                </Tooltip>
              </Table.Td>
              {(['baseline', 'odin'] as const).map((method) => {
                const value = method === 'odin' ? o : b;
                return (
                  <Table.Td key={method} data-metric={key} data-method={method} data-value={value} fw={best === method ? 700 : 400} c={best === method ? 'teal.9' : undefined} ta="right" ff="monospace">
                    {percent(value)}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
      <Table.Caption>{POSITIVE_CLASS_NOTE}</Table.Caption>
    </Table>
  );
}
