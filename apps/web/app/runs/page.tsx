// /runs: the first page is fetched on the server, so the table arrives with the HTML; the client takes over from there.
import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { runFiltersFrom, runListOptions } from '@/lib/queries/runs';
import { serverExecutor } from '@/lib/server-graphql';
import { PanelSkeleton } from '@/ui/common/PanelSkeleton';
import { RunsView } from '@/ui/runs/RunsView';

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const filters = runFiltersFrom({ get: (name) => (typeof params[name] === 'string' ? params[name] : null) });
  const client = new QueryClient();
  await client.prefetchQuery(runListOptions(filters, await serverExecutor()));
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <Suspense fallback={<PanelSkeleton rows={8} />}>
        <RunsView />
      </Suspense>
    </HydrationBoundary>
  );
}
