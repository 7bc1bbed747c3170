'use client';
// One OOD set of a run: the metrics table, ROC and PR curves, and the score histograms of both methods.
import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { RunQuery } from '@/lib/gql/graphql';
import { count } from '@/lib/format';
import { CurveChart } from '../charts/CurveChart';
import { ScoreHistogram } from '../charts/ScoreHistogram';
import { HardestGallery } from './HardestGallery';
import { MetricsTable } from './MetricsTable';
import { SearchHeatmap } from './SearchHeatmap';
import { ThresholdExplorer, useThresholdRates, type ThresholdChoice } from './ThresholdExplorer';

export type RunResult = NonNullable<RunQuery['run']>['results'][number];

// Baseline is grey and dashed, ODIN blue and solid: they differ in lightness and pattern, not hue alone.
const BASELINE = '#868e96';
const BASELINE_DASH = '6 3';
const ODIN = '#364fc7';

const span = (edges: readonly number[]): [number, number] => [edges[0] ?? 0, edges.at(-1) ?? 1];

export function ResultPanel({ runId, result, inName, inDatasetId, validationCount }: { runId: string; result: RunResult; inName: string; inDatasetId: string; validationCount?: number }) {
  const { curves, histograms, baseline, odin } = result;
  const outName = result.outDataset.name;
  const tpr95 = { odin: result.threshold, msp: result.baselineThreshold };
  const [choice, setChoice] = useState<ThresholdChoice>({ method: 'odin', threshold: result.threshold });
  const { rates, error } = useThresholdRates(runId, inDatasetId, result.outDatasetId, choice);
  const markOf = (method: ThresholdChoice['method'], atTpr95: { x: number; y: number }) => (rates && choice.method === method ? { x: rates.fpr, y: rates.tpr } : atTpr95);
  return (
    <Paper withBorder p="md" data-result-panel={result.outDatasetId}>
      <Stack>
        <Group justify="space-between" align="baseline">
          <Title order={3}>
            {inName} vs {outName}
          </Title>
          <Text size="sm" c="dimmed">
            T = {result.temperature}, ε = {result.epsilon} · {count(result.nIn)} in, {count(result.nOut)} OOD
          </Text>
        </Group>
        <MetricsTable baseline={baseline} odin={odin} />
        <Group align="stretch" wrap="wrap" grow>
          <CurveChart
            chart="roc"
            title="ROC (in-distribution positive)"
            xLabel="FPR"
            yLabel="TPR"
            series={[
              { name: 'Baseline', color: BASELINE, dash: BASELINE_DASH, x: curves.baseline.roc.fpr, y: curves.baseline.roc.tpr, mark: markOf('msp', { x: baseline.fprAt95Tpr, y: 0.95 }) },
              { name: 'ODIN', color: ODIN, x: curves.odin.roc.fpr, y: curves.odin.roc.tpr, mark: markOf('odin', { x: odin.fprAt95Tpr, y: 0.95 }) },
            ]}
          />
          <CurveChart
            chart="pr-in"
            title="Precision–recall, in-distribution positive"
            xLabel="recall"
            yLabel="precision"
            series={[
              { name: 'Baseline', color: BASELINE, dash: BASELINE_DASH, x: curves.baseline.prIn.recall, y: curves.baseline.prIn.precision },
              { name: 'ODIN', color: ODIN, x: curves.odin.prIn.recall, y: curves.odin.prIn.precision },
            ]}
          />
          <CurveChart
            chart="pr-out"
            title="Precision–recall, OOD positive"
            xLabel="recall"
            yLabel="precision"
            series={[
              { name: 'Baseline', color: BASELINE, dash: BASELINE_DASH, x: curves.baseline.prOut.recall, y: curves.baseline.prOut.precision },
              { name: 'ODIN', color: ODIN, x: curves.odin.prOut.recall, y: curves.odin.prOut.precision },
            ]}
          />
        </Group>
        <Group align="stretch" wrap="wrap" grow>
          <ScoreHistogram
            chart="histogram-baseline"
            title="Baseline scores (max softmax)"
            histogram={histograms.baseline}
            threshold={result.baselineThreshold}
            chosen={choice.method === 'msp' ? choice.threshold : undefined}
            onDrag={(threshold) => setChoice({ method: 'msp', threshold })}
            inName={inName}
            outName={outName}
          />
          <ScoreHistogram
            chart="histogram-odin"
            title="ODIN scores"
            histogram={histograms.odin}
            threshold={result.threshold}
            chosen={choice.method === 'odin' ? choice.threshold : undefined}
            onDrag={(threshold) => setChoice({ method: 'odin', threshold })}
            inName={inName}
            outName={outName}
          />
        </Group>
        <ThresholdExplorer
          outDatasetId={result.outDatasetId}
          range={{ odin: span(histograms.odin.edges), msp: span(histograms.baseline.edges) }}
          tpr95={tpr95}
          choice={choice}
          onChange={setChoice}
          rates={rates}
          error={error}
        />
        {result.grid && <SearchHeatmap grid={result.grid} chosen={{ temperature: result.temperature, epsilon: result.epsilon }} validationCount={validationCount} />}
        <HardestGallery runId={runId} outDatasetId={result.outDatasetId} outName={outName} />
      </Stack>
    </Paper>
  );
}
