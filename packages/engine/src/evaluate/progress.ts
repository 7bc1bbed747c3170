// Progress reports for long jobs: done/total, images per second and the estimated time left.

export interface Progress {
  /** What is running, e.g. "score fashion-mnist:test" or "search T=100". */
  phase: string;
  /** Raw images (skipped ones included) done so far, counting work carried over from a resumed run. */
  done: number;
  total: number;
  /** Images per second scored by this run (work carried over from a resumed run is not counted). */
  imagesPerSecond: number;
  /** Seconds left at the current rate; undefined until the rate is known. */
  etaSeconds?: number;
}

export type ProgressListener = (p: Progress) => void;

/** Tracks throughput across a job made of several phases with a known overall total. */
export class ProgressTracker {
  private readonly started = performance.now();
  private done = 0;
  /** Images done before this run started (resumed work): in `done`, but not in the rate. */
  private carried = 0;

  constructor(
    private total: number,
    private readonly listener?: ProgressListener,
  ) {}

  /** Counts `images` newly scored in `phase` and reports. */
  advance(phase: string, images: number): void {
    this.done += images;
    this.report(phase);
  }

  /** Counts `images` that an earlier, resumed run already scored, without counting them in the rate. */
  carry(phase: string, images: number): void {
    this.done += images;
    this.carried += images;
    this.report(phase);
  }

  /** Changes the overall total once it is known better (e.g. after the search has chosen its settings). */
  setTotal(total: number): void {
    this.total = total;
  }

  private report(phase: string): void {
    if (!this.listener) return;
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? (this.done - this.carried) / seconds : 0;
    this.listener({
      phase,
      done: this.done,
      total: this.total,
      imagesPerSecond: rate,
      etaSeconds: this.done >= this.total ? 0 : rate > 0 ? (this.total - this.done) / rate : undefined,
    });
  }
}
