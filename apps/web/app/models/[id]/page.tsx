// /models/[id]
import { ModelDetailView } from '@/ui/models/ModelDetailView';

export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  return <ModelDetailView id={(await params).id} />;
}
