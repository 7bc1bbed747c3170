'use client';
// /spot-check: choose a model and a finished run, drop images, and see in/out verdicts computed in this browser.
import { Alert, Anchor, Badge, Group, Paper, Select, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { modelListOptions, modelOptions } from '@/lib/queries/models';
import { runListOptions, runOptions } from '@/lib/queries/runs';
import { useSpotWorker, type EngineState, type LoadRequest, type ScoreOutcome } from '@/lib/spot-check/useSpotWorker';
import { dateTime } from '@/lib/format';
import { ErrorState } from '../common/ErrorState';
import { Fact } from '../common/Fact';
import { AddToDataset } from './AddToDataset';
import { ImageInputs } from './ImageInputs';
import { SpotResultRow, type SpotItem } from './SpotResultRow';

/** The settings offered when no run is chosen (the paper's defaults, as `startRun` has them). */
export const DEFAULT_SETTINGS = { temperature: 1000, epsilon: 0.0014 } as const;

function EngineBadge({ engine, msPerImage }: { engine: EngineState; msPerImage?: number }) {
  if (engine.status === 'idle') return null;
  if (engine.status === 'loading') return <Badge variant="light" color="gray" data-engine="loading">loading the ODIN graph…</Badge>;
  if (engine.status === 'failed')
    return (
      <Alert color="red" title="The model could not be loaded in this browser" data-engine="failed">
        {engine.message}
      </Alert>
    );
  return (
    <Group gap="xs" data-engine="ready" data-engine-backend={engine.backend} data-ms-per-image={msPerImage?.toFixed(2)} data-graph-sha256={engine.graphSha256}>
      <Badge variant="filled" color={engine.backend === 'webgpu' ? 'grape' : 'indigo'}>
        {engine.backend === 'webgpu' ? 'WebGPU' : `WASM · ${engine.threads} thread${engine.threads === 1 ? '' : 's'}`}
      </Badge>
      <Text size="sm" c="dimmed">
        {msPerImage !== undefined ? `${msPerImage.toFixed(1)} ms per image after warm-up` : 'ready'} (warm-up {Math.round(engine.warmupMs)} ms)
        {engine.fallback ? ` · WASM because ${engine.fallback}` : ''}
      </Text>
    </Group>
  );
}

export function SpotCheckView({ modelId: modelParam, runId }: { modelId?: string; runId?: string }) {
  const router = useRouter();
  const run = useQuery({ ...runOptions(runId ?? ''), enabled: Boolean(runId) });
  const modelId = modelParam ?? run.data?.model.id;
  const models = useQuery(modelListOptions(undefined, 100));
  const model = useQuery({ ...modelOptions(modelId ?? ''), enabled: Boolean(modelId) });
  const runs = useQuery({ ...runListOptions({ modelId, status: 'SUCCEEDED', first: 50 }), enabled: Boolean(modelId) });
  const [resultIndex, setResultIndex] = useState(0);
  const [compileHere, setCompileHere] = useState(false);
  const [items, setItems] = useState<SpotItem[]>([]);
  const nextId = useRef(0);

  const go = (model?: string | null, run?: string | null) => {
    const q = new URLSearchParams();
    if (model) q.set('model', model);
    if (run) q.set('run', run);
    router.replace(`/spot-check${q.size ? `?${q}` : ''}`);
  };

  const r = run.data;
  const runProblem = !runId || run.isPending ? undefined : !r ? `Run ${runId} was not found.` : r.status !== 'SUCCEEDED' ? `Run ${runId} is ${r.status.toLowerCase()}: only a finished run has a threshold.` : modelId && r.model.id !== modelId ? `Run ${runId} is of model “${r.model.name}”, not of the chosen one.` : undefined;
  const result = r && !runProblem ? (r.results[Math.min(resultIndex, r.results.length - 1)] ?? undefined) : undefined;
  const temperature = result?.temperature ?? DEFAULT_SETTINGS.temperature;
  const epsilon = result?.epsilon ?? DEFAULT_SETTINGS.epsilon;
  const m = model.data;

  const load: LoadRequest | null = useMemo(() => {
    if (!m?.odinCompiles) return null;
    const graph = compileHere
      ? { kind: 'compile' as const, url: `/v1/blobs/${m.sha256}`, input: m.inputName, mean: m.mean, std: m.std, inputSize: m.inputSize }
      : { kind: 'server' as const, url: `/v1/models/${encodeURIComponent(m.id)}/odin.onnx` };
    return { graph, layout: m.layout, allowWebGpu: true };
  }, [m, compileHere]);

  // Requests are named `pass:item`, so a late answer from an earlier T and ε is dropped.
  const passNo = useRef(0);
  const onScored = useCallback((request: string, outcome: ScoreOutcome) => {
    const [p, id] = request.split(':');
    if (Number(p) === passNo.current) setItems((all) => all.map((it) => (it.id === id ? { ...it, outcome } : it)));
  }, []);
  const { engine, score } = useSpotWorker(load, onScored);

  // Scores every image again whenever the engine (re)loads or the run's T and ε change; new images as they come.
  const scored = useRef(new Set<string>());
  const pass = engine.status === 'ready' ? `${JSON.stringify(load)}|${temperature}|${epsilon}` : '';
  const lastPass = useRef('');
  useEffect(() => {
    if (!pass) return;
    if (pass !== lastPass.current) {
      lastPass.current = pass;
      passNo.current++;
      scored.current.clear();
      setItems((all) => all.map(({ outcome: _, ...it }) => it));
    }
    for (const it of items) {
      if (scored.current.has(it.id)) continue;
      scored.current.add(it.id);
      score(`${passNo.current}:${it.id}`, it.file, temperature, epsilon);
    }
  }, [pass, items, score, temperature, epsilon]);

  const addFiles = useCallback((files: File[]) => setItems((all) => [...files.map((file) => ({ id: String(nextId.current++), file })), ...all]), []);
  const times = items.flatMap((it) => (it.outcome?.ok ? [it.outcome.ms] : []));
  const msPerImage = times.length ? times.reduce((s, t) => s + t, 0) / times.length : undefined;

  if (models.isError) return <ErrorState error={models.error} onRetry={() => models.refetch()} />;
  return (
    <Stack data-spot-check>
      <div>
        <Title order={2}>Spot check</Title>
        <Text c="dimmed" size="sm">
          Drop a few images to see whether the model takes them for in-distribution. ODIN runs here, in this browser: images leave it only if you press Add to dataset.
        </Text>
      </div>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Select
            label="Model"
            placeholder="Choose a model"
            data={models.data?.edges.map((e) => ({ value: e.node.id, label: e.node.name, disabled: !e.node.odinCompiles })) ?? []}
            value={modelId ?? null}
            onChange={(id) => go(id, null)}
            searchable
            data-field="spot-model"
          />
          <Select
            label="Finished run (the threshold)"
            placeholder={modelId ? 'No run: no verdict' : 'Choose a model first'}
            data={runs.data?.edges.map((e) => ({ value: e.node.id, label: `${e.node.inDataset.name} vs ${e.node.outDatasets.map((d) => d.name).join(', ')} · ${dateTime(e.node.createdAt)}` })) ?? []}
            value={runId && !runProblem ? runId : null}
            onChange={(id) => go(modelId, id)}
            clearable
            disabled={!modelId}
            data-field="spot-run"
          />
          {r && r.results.length > 1 && !runProblem && (
            <Select
              label="Threshold from the OOD set"
              data={r.results.map((x, i) => ({ value: String(i), label: x.outDataset.name }))}
              value={String(Math.min(resultIndex, r.results.length - 1))}
              onChange={(v) => setResultIndex(Number(v ?? 0))}
              data-field="spot-result-set"
            />
          )}
        </SimpleGrid>
        <Group mt="sm" justify="space-between">
          <Switch label="Compile the ODIN graph in this browser (instead of the server’s)" checked={compileHere} onChange={(e) => setCompileHere(e.currentTarget.checked)} data-field="spot-compile" />
          <EngineBadge engine={engine} msPerImage={msPerImage} />
        </Group>
      </Paper>
      {m && !m.odinCompiles && <Alert color="red" title="ODIN cannot be compiled for this model">{m.odinError}</Alert>}
      {runProblem && <Alert color="orange" data-run-problem>{runProblem}</Alert>}
      {result ? (
        <Paper withBorder p="md" data-threshold={result.threshold} data-temperature={temperature} data-epsilon={epsilon}>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Fact label="ODIN threshold (TPR 95%)">{result.threshold.toPrecision(7)}</Fact>
            <Fact label="Temperature T">{temperature}</Fact>
            <Fact label="Perturbation ε">{epsilon}</Fact>
            <Fact label="From run">
              <Anchor component={Link} href={`/runs/${r!.id}`}>
                {r!.inDataset.name} vs {result.outDataset.name}
              </Anchor>
            </Fact>
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt="xs">
            Each image&apos;s histogram is the run&apos;s ODIN scores: <span style={{ color: 'var(--mantine-color-indigo-7)' }}>■</span> {r!.inDataset.name}, <span style={{ color: 'var(--mantine-color-orange-7)' }}>■</span> {result.outDataset.name}; the dashed line is the threshold, the red one the image&apos;s score. A score at or above the threshold is in.
          </Text>
        </Paper>
      ) : (
        modelId && (
          <Alert color="gray" title="No finished run chosen" data-no-run>
            Scores use T = {DEFAULT_SETTINGS.temperature} and ε = {DEFAULT_SETTINGS.epsilon}; without a run&apos;s threshold there is no in/out verdict.
          </Alert>
        )
      )}
      {modelId ? <ImageInputs onFiles={addFiles} /> : <Alert color="gray">Choose a model to start.</Alert>}
      {items.map((it) => (
        <SpotResultRow key={it.id} item={it} backend={engine.status === 'ready' ? engine.backend : undefined} labels={m?.labels ?? []} threshold={result?.threshold} histogram={result?.histograms.odin} />
      ))}
      {items.length > 0 && <AddToDataset files={items.map((it) => it.file)} />}
    </Stack>
  );
}
