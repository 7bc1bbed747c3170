'use client';
// Score distributions of the in-distribution and OOD sets (fraction of each set per bin), with the TPR-95% threshold.
import { useRef } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis, type MouseHandlerDataParam } from 'recharts';
import { ChartFrame } from './ChartFrame';

export interface Histogram {
  edges: readonly number[];
  in: readonly number[];
  out: readonly number[];
}

function toPoints(h: Histogram) {
  const nIn = h.in.reduce((a, b) => a + b, 0) || 1;
  const nOut = h.out.reduce((a, b) => a + b, 0) || 1;
  const points = h.in.map((_, i) => ({ x: h.edges[i], in: h.in[i] / nIn, out: h.out[i] / nOut }));
  // The last edge closes the last bin, so the step reaches it.
  const last = h.in.length - 1;
  if (last >= 0) points.push({ x: h.edges[last + 1], in: h.in[last] / nIn, out: h.out[last] / nOut });
  return points;
}

/** Enough decimals to tell ticks apart over the scores' span (ODIN's scores at T = 1000 span ~1e-3). */
const tickFormat = (span: number) => {
  const digits = Math.min(8, Math.max(2, Math.ceil(-Math.log10(span || 1)) + 2));
  return (v: number) => v.toFixed(digits);
};

/** Pressing on the plot and dragging moves the chosen threshold (to the nearest bin edge; type it for more precision). */
function useDrag(onDrag?: (score: number) => void) {
  const dragging = useRef(false);
  if (!onDrag) return {};
  const move = (state: MouseHandlerDataParam) => {
    const x = Number(state.activeLabel);
    if (Number.isFinite(x)) onDrag(x);
  };
  return {
    onMouseDown: (state: MouseHandlerDataParam) => {
      dragging.current = true;
      move(state);
    },
    onMouseMove: (state: MouseHandlerDataParam) => dragging.current && move(state),
    onMouseUp: () => void (dragging.current = false),
    onMouseLeave: () => void (dragging.current = false),
  };
}

export function ScoreHistogram({
  title,
  histogram,
  threshold,
  chosen,
  onDrag,
  inName,
  outName,
  chart,
}: {
  title: string;
  histogram: Histogram;
  /** The threshold at TPR 95%. */
  threshold: number;
  /** A threshold the user moved, drawn as a solid line. */
  chosen?: number;
  onDrag?: (score: number) => void;
  inName: string;
  outName: string;
  chart: string;
}) {
  const points = toPoints(histogram);
  const compact = tickFormat((histogram.edges.at(-1) ?? 1) - (histogram.edges[0] ?? 0));
  const drag = useDrag(onDrag);
  return (
    <ChartFrame title={title} chart={chart}>
          <AreaChart data={points} margin={{ top: 5, right: 10, bottom: 20, left: 0 }} style={onDrag ? { cursor: 'col-resize' } : undefined} {...drag}>
            <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.4} />
            <XAxis type="number" dataKey="x" domain={['dataMin', 'dataMax']} tickFormatter={compact} fontSize={11} label={{ value: 'score', position: 'insideBottom', offset: -12, fontSize: 12 }} />
            <YAxis tickFormatter={(v: number) => `${Math.round(v * 100)}%`} fontSize={11} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v))} labelFormatter={(v) => `score ≥ ${compact(Number(v))}`} />
            <Legend verticalAlign="top" height={24} />
            <Area type="stepAfter" dataKey="in" name={`${inName} (in)`} stroke="#2f9e44" fill="#2f9e44" fillOpacity={0.3} isAnimationActive={false} />
            <Area type="stepAfter" dataKey="out" name={`${outName} (OOD)`} stroke="#e03131" fill="#e03131" fillOpacity={0.3} isAnimationActive={false} />
            <ReferenceLine x={threshold} stroke="#1c7ed6" strokeDasharray="4 2" label={{ value: 'TPR 95%', position: 'insideTopRight', fontSize: 11, fill: '#1c7ed6' }} ifOverflow="extendDomain" />
            {chosen !== undefined && chosen !== threshold && <ReferenceLine x={chosen} stroke="#000" strokeWidth={2} label={{ value: 'threshold', position: 'insideTopLeft', fontSize: 11 }} ifOverflow="extendDomain" />}
          </AreaChart>
    </ChartFrame>
  );
}
