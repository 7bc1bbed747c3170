// /runs
import { Suspense } from 'react';
import { PanelSkeleton } from '@/ui/common/PanelSkeleton';
import { RunsView } from '@/ui/runs/RunsView';

export default function RunsPage() {
  return (
    <Suspense fallback={<PanelSkeleton rows={8} />}>
      <RunsView />
    </Suspense>
  );
}
