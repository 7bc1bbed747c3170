// A progress bar on stderr (cli-progress), fed by the engine's progress reports.
import cliProgress from 'cli-progress';
import type { Progress } from '../evaluate/index.ts';

export function progressBar(enabled: boolean) {
  if (!enabled) return { update: (_p: Progress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{phase} |{bar}| {value}/{total} images | {rate} img/s | ETA {eta_formatted}',
      etaBuffer: 50,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let total = 0;
  return {
    update(p: Progress) {
      if (!started) {
        bar.start(p.total, 0, { phase: p.phase, rate: '0' });
        started = true;
      } else if (p.total !== total) bar.setTotal(p.total); // the search knows its total only once it has chosen
      total = p.total;
      bar.update(p.done, { phase: p.phase.padEnd(36).slice(0, 36), rate: p.imagesPerSecond.toFixed(0) });
    },
    stop: () => started && bar.stop(),
  };
}
