// Unknown paths.
import { EmptyState } from '@/ui/common/EmptyState';

export default function NotFound() {
  return <EmptyState title="Nothing here" message="This page does not exist." href="/runs" action="Go to the runs" />;
}
