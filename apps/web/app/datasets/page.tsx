// /datasets
import { DatasetsView } from '@/ui/datasets/DatasetsView';

export default function DatasetsPage() {
  return <DatasetsView />;
}
