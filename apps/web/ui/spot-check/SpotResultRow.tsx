'use client';
// One scored image: the model's view of it, predicted class, baseline and ODIN scores, and the in/out verdict.
import { Badge, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import type { SpotBackend } from '@/lib/spot-check/protocol';
import type { ScoreOutcome } from '@/lib/spot-check/useSpotWorker';
import type { Histogram } from '@/lib/spot-check/histogram';
import { HistogramMarker } from './HistogramMarker';
import { ModelViewCanvas } from './ModelViewCanvas';

export interface SpotItem {
  id: string;
  file: File;
  outcome?: ScoreOutcome;
}

interface Props {
  item: SpotItem;
  backend?: SpotBackend;
  labels: string[];
  threshold?: number;
  histogram?: Histogram;
}

export function SpotResultRow({ item, backend, labels, threshold, histogram }: Props) {
  const o = item.outcome;
  const done = o?.ok ? o : undefined;
  const prediction = done ? (labels[done.prediction] ?? String(done.prediction)) : undefined;
  const verdict = done && threshold !== undefined ? (done.odin >= threshold ? 'in' : 'out') : undefined;
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="spot-result"
      data-file={item.file.name}
      data-backend={done ? backend : undefined}
      data-prediction={prediction}
      data-msp={done ? String(done.msp) : undefined}
      data-odin={done ? String(done.odin) : undefined}
      data-verdict={verdict}
    >
      <Group wrap="nowrap" gap="md">
        {done ? <ModelViewCanvas view={done.view} label={`${item.file.name} as the model sees it`} /> : <div style={{ width: 84, height: 84, flex: 'none' }} />}
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Text fw={600} truncate>
            {item.file.name}
          </Text>
          {!o && (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm" c="dimmed">
                scoring in this browser…
              </Text>
            </Group>
          )}
          {o && !o.ok && (
            <Text size="sm" c="red" data-spot-error>
              {o.message}
            </Text>
          )}
          {done && (
            <>
              <Text size="sm">
                Predicted <b>{prediction}</b>
              </Text>
              <Text size="sm" c="dimmed">
                baseline (max softmax) {done.msp.toFixed(4)} · ODIN {done.odin.toFixed(6)} · {done.ms.toFixed(1)} ms
              </Text>
            </>
          )}
        </Stack>
        {done && histogram && <HistogramMarker histogram={histogram} score={done.odin} threshold={threshold} />}
        {verdict && (
          <Badge size="lg" color={verdict === 'in' ? 'teal' : 'orange'} variant="filled" w={64}>
            {verdict}
          </Badge>
        )}
      </Group>
    </Paper>
  );
}
