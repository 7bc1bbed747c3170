// Number, size, time and duration formatting shared by the pages.

export const percent = (x: number | null | undefined, digits = 1) => (x == null ? '—' : `${(100 * x).toFixed(digits)}%`);

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function dateTime(iso: string, timeZone?: string): string {
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone });
}

export const count = (n: number) => n.toLocaleString('en-US');

/** Seconds left at the current rate, or null when it cannot be estimated. */
export function etaMs(progress: number, startedAt: string | null | undefined, now = Date.now()): number | null {
  if (!startedAt || progress <= 0.01 || progress >= 1) return null;
  const elapsed = now - new Date(startedAt).getTime();
  return (elapsed * (1 - progress)) / progress;
}
