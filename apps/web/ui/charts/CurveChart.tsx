'use client';
// A ROC or PR curve with the baseline and ODIN overlaid, and an optional marked point per method.
import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame } from './ChartFrame';

export interface CurveSeries {
  name: string;
  color: string;
  x: readonly number[];
  y: readonly number[];
  mark?: { x: number; y: number };
  /** A dash pattern, so the series differ by more than hue. */
  dash?: string;
}

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : String(v));

export function CurveChart({ title, xLabel, yLabel, series, chart }: { title: string; xLabel: string; yLabel: string; series: CurveSeries[]; chart: string }) {
  return (
    <ChartFrame title={title} chart={chart}>
          <LineChart margin={{ top: 5, right: 10, bottom: 20, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.4} />
            <XAxis type="number" dataKey="x" domain={[0, 1]} tickFormatter={fmt} label={{ value: xLabel, position: 'insideBottom', offset: -12, fontSize: 12 }} fontSize={11} />
            <YAxis type="number" dataKey="y" domain={[0, 1]} tickFormatter={fmt} label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 12, fontSize: 12 }} fontSize={11} />
            <Tooltip formatter={fmt} labelFormatter={(v) => `${xLabel} ${fmt(v)}`} />
            <Legend verticalAlign="top" height={24} />
            {series.map((s) => (
              <Line key={s.name} name={s.name} data={s.x.map((x, i) => ({ x, y: s.y[i] }))} dataKey="y" stroke={s.color} strokeDasharray={s.dash} dot={false} strokeWidth={2} isAnimationActive={false} type="linear" />
            ))}
            {series.map((s) => s.mark && <ReferenceDot key={`${s.name}-mark`} x={s.mark.x} y={s.mark.y} r={5} fill={s.color} stroke="white" ifOverflow="extendDomain" />)}
          </LineChart>
    </ChartFrame>
  );
}
