// How a run's settings read in one line.
import type { RunRowFragment } from '@/lib/gql/graphql';

export function settingsLabel(settings: RunRowFragment['settings']): string {
  if (settings.search?.mode === 'ID_ONLY') return `ID-only search: T = ${settings.search.temperatures[0]}, ${settings.search.epsilons.length} ε`;
  if (settings.search) return `search ${settings.search.temperatures.length} T × ${settings.search.epsilons.length} ε`;
  return `T = ${settings.temperature ?? 1000}, ε = ${settings.epsilon ?? 0.0014}`;
}
