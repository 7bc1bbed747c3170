// A run's results as a JSON document and as a CSV with one row per OOD set and method.
import type { RunQuery } from '@/lib/gql/graphql';
import { METRICS } from './MetricsTable';

type Run = NonNullable<RunQuery['run']>;

/** The fields the API returns, minus curves and histograms (those are plots, not results). */
export function resultsJson(run: Run): string {
  return JSON.stringify(
    {
      id: run.id,
      model: run.model,
      inDataset: run.inDataset,
      settings: run.settings,
      accuracy: run.accuracy,
      results: run.results.map((r) => ({
        outDataset: { id: r.outDataset.id, name: r.outDataset.name },
        temperature: r.temperature,
        epsilon: r.epsilon,
        threshold: r.threshold,
        baselineThreshold: r.baselineThreshold,
        nIn: r.nIn,
        nOut: r.nOut,
        baseline: Object.fromEntries(METRICS.map((m) => [m.key, r.baseline[m.key]])),
        odin: Object.fromEntries(METRICS.map((m) => [m.key, r.odin[m.key]])),
      })),
    },
    null,
    2,
  );
}

export function resultsCsv(run: Run): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const header = ['out_dataset_id', 'out_dataset', 'method', 'temperature', 'epsilon', 'n_in', 'n_out', ...METRICS.map((m) => m.key)];
  const rows = run.results.flatMap((r) =>
    (['baseline', 'odin'] as const).map((method) =>
      [r.outDataset.id, quote(r.outDataset.name), method, r.temperature, r.epsilon, r.nIn, r.nOut, ...METRICS.map((m) => r[method][m.key])].join(','),
    ),
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}
