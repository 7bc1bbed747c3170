// /datasets/[id]
import { DatasetDetailView } from '@/ui/datasets/DatasetDetailView';

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  return <DatasetDetailView id={(await params).id} />;
}
