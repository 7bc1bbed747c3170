'use client';
// A movable decision threshold for one OOD set: TPR, FPR and the counts on each side, computed from the run's per-sample scores.
import { Button, Group, NumberInput, SegmentedControl, Slider, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { count, percent } from '@/lib/format';
import { scoresOptions } from '@/lib/queries/runs';
import { ratesAt, type Method, type ThresholdRates } from '@/lib/scores';
import { ErrorAlert } from '../common/ErrorAlert';

export interface ThresholdChoice {
  method: Method;
  threshold: number;
}

const METHOD_NAMES: Record<Method, string> = { odin: 'ODIN', msp: 'Baseline' };

/** The rates at the chosen threshold, once the run's per-sample scores are loaded. */
export function useThresholdRates(runId: string, inDatasetId: string, outDatasetId: string, choice: ThresholdChoice) {
  const scores = useQuery(scoresOptions(runId));
  const inScores = scores.data?.get(inDatasetId)?.[choice.method];
  const outScores = scores.data?.get(outDatasetId)?.[choice.method];
  return { rates: inScores && outScores ? ratesAt(inScores, outScores, choice.threshold) : null, error: scores.error };
}

export function ThresholdExplorer({
  outDatasetId,
  range,
  tpr95,
  choice,
  onChange,
  rates,
  error,
}: {
  outDatasetId: string;
  range: Record<Method, [number, number]>;
  tpr95: Record<Method, number>;
  choice: ThresholdChoice;
  onChange: (choice: ThresholdChoice) => void;
  rates: ThresholdRates | null;
  error: unknown;
}) {
  const [min, max] = range[choice.method];
  const step = (max - min) / 1000 || 1e-6;
  const decimals = Math.min(8, Math.max(3, Math.ceil(-Math.log10(step)) + 1));
  const name = METHOD_NAMES[choice.method];

  return (
    <Stack gap="xs" data-threshold-explorer={outDatasetId}>
      <Title order={4}>Decision threshold</Title>
      <Text size="sm" c="dimmed">
        Drag on a histogram, slide, or type a threshold; the ROC point follows. An image is called in-distribution when its score is at or above it.
      </Text>
      <Group align="end" wrap="wrap">
        <SegmentedControl
          aria-label="Score to threshold"
          value={choice.method}
          onChange={(m) => onChange({ method: m as Method, threshold: tpr95[m as Method] })}
          data={[
            { value: 'odin', label: 'ODIN' },
            { value: 'msp', label: 'Baseline' },
          ]}
        />
        <NumberInput
          label={`${name} threshold`}
          description="score ≥ threshold means in-distribution"
          value={choice.threshold}
          onChange={(v) => {
            // Mantine hands over long decimals as strings so no digit is lost.
            const threshold = typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v);
            if (Number.isFinite(threshold)) onChange({ ...choice, threshold });
          }}
          step={step}
          w={200}
          data-threshold-input
        />
        <Button variant="default" onClick={() => onChange({ ...choice, threshold: tpr95[choice.method] })} data-threshold-reset>
          Reset to TPR 95%
        </Button>
      </Group>
      <Slider
        thumbLabel={`${name} threshold`}
        min={min}
        max={max}
        step={step}
        value={Math.min(max, Math.max(min, choice.threshold))}
        onChange={(v) => onChange({ ...choice, threshold: v })}
        label={(v) => v.toFixed(decimals)}
        data-threshold-slider
      />
      {error != null && <ErrorAlert error={error} />}
      {!rates && error == null && (
        <Text size="sm" c="dimmed">
          Loading the per-sample scores…
        </Text>
      )}
      {rates && (
        <Table withTableBorder w="auto" data-threshold-stats data-method={choice.method} data-threshold={rates.threshold} data-tpr={rates.tpr} data-fpr={rates.fpr}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              <Table.Th ta="right">score ≥ t (called in)</Table.Th>
              <Table.Th ta="right">score &lt; t (called OOD)</Table.Th>
              <Table.Th ta="right">rate called in</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody ff="monospace">
            <Table.Tr>
              <Table.Td ff="sans-serif">In-distribution</Table.Td>
              <Table.Td ta="right" data-count="in-accepted">{count(rates.inAccepted)}</Table.Td>
              <Table.Td ta="right" data-count="in-rejected">{count(rates.inRejected)}</Table.Td>
              <Table.Td ta="right">TPR {percent(rates.tpr, 2)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td ff="sans-serif">OOD</Table.Td>
              <Table.Td ta="right" data-count="out-accepted">{count(rates.outAccepted)}</Table.Td>
              <Table.Td ta="right" data-count="out-rejected">{count(rates.outRejected)}</Table.Td>
              <Table.Td ta="right">FPR {percent(rates.fpr, 2)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
