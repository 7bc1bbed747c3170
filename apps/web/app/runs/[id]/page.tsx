// /runs/[id]
import { RunDetailView } from '@/ui/runs/RunDetailView';

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  return <RunDetailView id={(await params).id} />;
}
