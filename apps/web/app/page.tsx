// The front page is the runs list.
import { redirect } from 'next/navigation';

export default function Home() {
  redirect('/runs');
}
