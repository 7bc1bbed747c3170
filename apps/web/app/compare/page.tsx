// /compare?ids=a,b,…
import { Suspense } from 'react';
import { CompareView } from '@/ui/compare/CompareView';
import { PanelSkeleton } from '@/ui/common/PanelSkeleton';

export default function ComparePage() {
  return (
    <Suspense fallback={<PanelSkeleton rows={8} />}>
      <CompareView />
    </Suspense>
  );
}
