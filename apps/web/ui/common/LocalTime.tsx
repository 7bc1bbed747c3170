'use client';
// A timestamp in the reader's time zone (in UTC on the server, until the page is hydrated).
import { dateTime, duration } from '@/lib/format';
import { useHydrated } from '@/lib/use-hydrated';

export function LocalTime({ iso }: { iso: string }) {
  const hydrated = useHydrated();
  return <time dateTime={iso}>{hydrated ? dateTime(iso) : `${dateTime(iso, 'UTC')} UTC`}</time>;
}

/** From start to finish, or to now while it runs (shown once hydrated). */
export function Elapsed({ startedAt, finishedAt }: { startedAt?: string | null; finishedAt?: string | null }) {
  const hydrated = useHydrated();
  if (!startedAt || (!finishedAt && !hydrated)) return <>—</>;
  return <>{duration((finishedAt ? new Date(finishedAt).getTime() : Date.now()) - new Date(startedAt).getTime())}</>;
}
