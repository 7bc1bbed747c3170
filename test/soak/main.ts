// npm run soak [-- SECONDS]: the load soak (default 2 minutes), printed as a report.
import { loadavg } from 'node:os';
import { soak } from './soak.ts';

const seconds = Number(process.argv[2] ?? process.env.SOAK_SECONDS ?? 120);
const r = await soak({ seconds, log: (line) => console.log(line) });
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`
Soak on loopback: ${r.seconds.toFixed(0)} s, 4 readers, 1 run writer, 1 uploader, 2 standalone workers
  requests           ${r.requests} (${r.requestsPerSecond.toFixed(1)}/s), statuses ${JSON.stringify(r.statuses)}
  reads p50 / p99    ${r.readP50Ms.toFixed(0)} ms / ${r.readP99Ms.toFixed(0)} ms
  runs               ${r.runsStarted} started (${r.runsPerMinute.toFixed(1)}/min), ${r.mismatches.length} not equal to the quiet run
  uploads            ${r.uploads} datasets
  5xx / errors       ${r.serverErrors.length}
  RSS after warm-up → end: ${Object.entries(r.rssMb).map(([n, m]) => `${n} ${m.after.toFixed(0)} → ${m.end.toFixed(0)} MB (${pct(r.rssGrowth[n])})`).join(', ')}
  load average       ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
for (const line of [...r.serverErrors, ...r.mismatches].slice(0, 20)) console.log(`  ! ${line}`);
process.exit(r.serverErrors.length || r.mismatches.length || Object.values(r.rssGrowth).some((g) => g > 0.2) ? 1 : 0);
