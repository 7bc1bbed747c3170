'use client';
// The page's handle on the spot-check worker: one worker per loaded graph, its state, and scoring requests.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { InputSpec } from '@odin/engine';
import type { FromWorker, GraphSource, ModelView, SpotBackend, ToWorker } from './protocol';

export interface LoadRequest {
  graph: GraphSource;
  layout: string;
  allowWebGpu: boolean;
}

export type EngineState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; backend: SpotBackend; spec: InputSpec; threads: number; graphSha256?: string; fallback?: string; warmupMs: number };

export type ScoreOutcome = { ok: true; view: ModelView; msp: number; odin: number; prediction: number; ms: number } | { ok: false; message: string };

/** Starts a worker for `load` (a new one whenever its key changes); `onScored` gets each outcome with the request's id. */
export function useSpotWorker(load: LoadRequest | null, onScored: (id: string, outcome: ScoreOutcome) => void) {
  const [engine, setEngine] = useState<EngineState>({ status: 'idle' });
  const worker = useRef<Worker | null>(null);
  const callback = useRef(onScored);
  useEffect(() => {
    callback.current = onScored;
  }, [onScored]);
  const key = load ? JSON.stringify(load) : '';

  useEffect(() => {
    if (!key) return;
    const request = JSON.parse(key) as LoadRequest;
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'odin-spot-check' });
    worker.current = w;
    setEngine({ status: 'loading' });
    w.onmessage = ({ data }: MessageEvent<FromWorker>) => {
      if (data.type === 'loaded') setEngine({ status: 'ready', ...data });
      else if (data.type === 'load-failed') setEngine({ status: 'failed', message: data.message });
      else if (data.type === 'scored') callback.current(data.id, { ok: true, ...data });
      else callback.current(data.id, { ok: false, message: data.message });
    };
    w.onerror = (e) => setEngine({ status: 'failed', message: `the worker stopped: ${e.message || 'its script failed to load'}` });
    w.postMessage({ type: 'load', ...request } satisfies ToWorker);
    return () => {
      w.terminate();
      worker.current = null;
    };
  }, [key]);

  const score = useCallback((id: string, file: Blob, temperature: number, epsilon: number) => {
    worker.current?.postMessage({ type: 'score', id, file, temperature, epsilon } satisfies ToWorker);
  }, []);

  return { engine: key ? engine : ({ status: 'idle' } as EngineState), score };
}
