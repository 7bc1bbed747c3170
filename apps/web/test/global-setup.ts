// Builds the dashboard once before its tests (skipped when the sources did not change since the last build).
import { ensureWebBuild } from '../launch/build.ts';

export default async function setup() {
  await ensureWebBuild();
}
