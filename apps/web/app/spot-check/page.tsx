// /spot-check?model=ID&run=ID
import { SpotCheckView } from '@/ui/spot-check/SpotCheckView';

export default async function SpotCheckPage({ searchParams }: { searchParams: Promise<{ model?: string; run?: string }> }) {
  const { model, run } = await searchParams;
  return <SpotCheckView modelId={model || undefined} runId={run || undefined} />;
}
