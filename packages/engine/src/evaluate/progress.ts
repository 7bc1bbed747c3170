// Progress reports for long jobs: done/total, images per second and the estimated time left.

export interface Progress {
  /** What is running, e.g. "score fashion-mnist:test" or "search T=100". */
  phase: string;
  done: number;
  total: number;
  imagesPerSecond: number;
  /** Seconds left at the current rate; undefined until the rate is known. */
  etaSeconds?: number;
}

export type ProgressListener = (p: Progress) => void;

/** Tracks throughput across a job made of several phases with a known overall total. */
export class ProgressTracker {
  private readonly started = performance.now();
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly listener?: ProgressListener,
  ) {}

  advance(phase: string, images: number): void {
    this.done += images;
    if (!this.listener) return;
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    this.listener({
      phase,
      done: this.done,
      total: this.total,
      imagesPerSecond: rate,
      etaSeconds: rate > 0 ? Math.max(0, (this.total - this.done) / rate) : undefined,
    });
  }
}
