'use client';
// One OOD set of a run: the metrics table, ROC and PR curves, and the score histograms of both methods.
import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { RunQuery } from '@/lib/gql/graphql';
import { count } from '@/lib/format';
import { CurveChart } from '../charts/CurveChart';
import { ScoreHistogram } from '../charts/ScoreHistogram';
import { HardestGallery } from './HardestGallery';
import { MetricsTable } from './MetricsTable';

export type RunResult = NonNullable<RunQuery['run']>['results'][number];

const BASELINE = '#868e96';
const ODIN = '#4c6ef5';

export function ResultPanel({ runId, result, inName }: { runId: string; result: RunResult; inName: string }) {
  const { curves, histograms, baseline, odin } = result;
  const outName = result.outDataset.name;
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
              { name: 'Baseline', color: BASELINE, x: curves.baseline.roc.fpr, y: curves.baseline.roc.tpr, mark: { x: baseline.fprAt95Tpr, y: 0.95 } },
              { name: 'ODIN', color: ODIN, x: curves.odin.roc.fpr, y: curves.odin.roc.tpr, mark: { x: odin.fprAt95Tpr, y: 0.95 } },
            ]}
          />
          <CurveChart
            chart="pr-in"
            title="Precision–recall, in-distribution positive"
            xLabel="recall"
            yLabel="precision"
            series={[
              { name: 'Baseline', color: BASELINE, x: curves.baseline.prIn.recall, y: curves.baseline.prIn.precision },
              { name: 'ODIN', color: ODIN, x: curves.odin.prIn.recall, y: curves.odin.prIn.precision },
            ]}
          />
          <CurveChart
            chart="pr-out"
            title="Precision–recall, OOD positive"
            xLabel="recall"
            yLabel="precision"
            series={[
              { name: 'Baseline', color: BASELINE, x: curves.baseline.prOut.recall, y: curves.baseline.prOut.precision },
              { name: 'ODIN', color: ODIN, x: curves.odin.prOut.recall, y: curves.odin.prOut.precision },
            ]}
          />
        </Group>
        <Group align="stretch" wrap="wrap" grow>
          <ScoreHistogram chart="histogram-baseline" title="Baseline scores (max softmax)" histogram={histograms.baseline} threshold={result.baselineThreshold} inName={inName} outName={outName} />
          <ScoreHistogram chart="histogram-odin" title="ODIN scores" histogram={histograms.odin} threshold={result.threshold} inName={inName} outName={outName} />
        </Group>
        <HardestGallery runId={runId} outDatasetId={result.outDatasetId} outName={outName} />
      </Stack>
    </Paper>
  );
}
