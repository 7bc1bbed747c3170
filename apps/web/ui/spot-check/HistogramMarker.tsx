'use client';
// Where one score sits on a run's ODIN histogram (in-distribution and OOD counts), beside the decision threshold.
import { Tooltip } from '@mantine/core';
import { inBelow, type Histogram } from '@/lib/spot-check/histogram';

const W = 180;
const H = 40;

export function HistogramMarker({ histogram: h, score, threshold }: { histogram: Histogram; score: number; threshold?: number }) {
  const lo = h.edges[0];
  const hi = h.edges[h.edges.length - 1];
  const x = (v: number) => (hi > lo ? (W * (Math.min(Math.max(v, lo), hi) - lo)) / (hi - lo) : W / 2);
  const peak = Math.max(1, ...h.in, ...h.out);
  const bar = (counts: number[], color: string) =>
    counts.map((c, i) => {
      const left = x(h.edges[i]);
      const height = ((H - 4) * c) / peak;
      return <rect key={`${color}${i}`} x={left} y={H - height} width={Math.max(0.5, x(h.edges[i + 1]) - left)} height={height} fill={color} fillOpacity={0.45} />;
    });
  const share = inBelow(h, score);
  const outside = score < lo ? 'below' : score > hi ? 'above' : undefined;
  const text = `${(100 * share).toFixed(1)}% of the run's in-distribution set scores lower${outside ? ` (the score is ${outside} the histogram's range)` : ''}`;
  return (
    <Tooltip label={text}>
      <svg width={W} height={H} role="img" aria-label={text} data-histogram-share={share.toFixed(4)} style={{ flex: 'none' }}>
        {bar(h.in, 'var(--mantine-color-indigo-6)')}
        {bar(h.out, 'var(--mantine-color-orange-6)')}
        {threshold !== undefined && <line x1={x(threshold)} x2={x(threshold)} y1={0} y2={H} stroke="var(--mantine-color-gray-7)" strokeDasharray="3 2" />}
        <line x1={x(score)} x2={x(score)} y1={0} y2={H} stroke="var(--mantine-color-red-7)" strokeWidth={2} />
      </svg>
    </Tooltip>
  );
}
