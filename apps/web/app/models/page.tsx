// /models
import { ModelsView } from '@/ui/models/ModelsView';

export default function ModelsPage() {
  return <ModelsView />;
}
