// /runs/[id]: the run (facts, metrics, curves, histograms) is fetched on the server and arrives with the HTML.
import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { runOptions } from '@/lib/queries/runs';
import { serverExecutor } from '@/lib/server-graphql';
import { RunDetailView } from '@/ui/runs/RunDetailView';

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const client = new QueryClient();
  await client.prefetchQuery(runOptions(id, await serverExecutor()));
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <RunDetailView id={id} />
    </HydrationBoundary>
  );
}
