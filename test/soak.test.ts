// The 30-second soak (`npm run soak` runs the 2-minute one): readers, writers and two workers at once on loopback; no
// request fails with a 5xx, every run finishes equal to a quiet run, and the processes' memory stays flat.
import { describe, expect, it } from 'vitest';
import { soak } from './soak/soak.ts';

describe('soak', () => {
  it('holds 30 s of reads, run starts and uploads with two workers: no 5xx, every run equal to a quiet one, flat RSS', async () => {
    const r = await soak({ seconds: Number(process.env.SOAK_SECONDS ?? 30) });
    console.log(JSON.stringify({ rps: r.requestsPerSecond, p50: r.readP50Ms, p99: r.readP99Ms, runs: r.runsStarted, uploads: r.uploads, rssMb: r.rssMb }));
    expect(r.serverErrors).toEqual([]);
    expect(Object.keys(r.statuses)).toEqual(['200', '201'].filter((s) => r.statuses[s]));
    expect(r.runsStarted).toBeGreaterThanOrEqual(5);
    expect(r.uploads).toBeGreaterThanOrEqual(3);
    expect(r.mismatches).toEqual([]);
    for (const [name, growth] of Object.entries(r.rssGrowth)) expect(growth, `${name} RSS growth`).toBeLessThan(0.2);
  }, 900_000);
});
