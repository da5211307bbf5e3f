interface ProgressBarOptions {
  /** Printed before the bar ('tuning', 'repeated CV'). */
  label?: string;
  /** What is counted, printed after the counts ('rows'). */
  unit?: string;
  /**
   * Without a terminal: print a plain line every 10% (long training runs whose stderr goes to a log) instead of
   * nothing (screening, whose output is read by people and scripts).
   */
  logWithoutTty?: boolean;
  stream?: NodeJS.WriteStream;
  width?: number;
}

/**
 * The one progress bar of the command-line tools (screening, training, benchmarks): a line on stderr redrawn at
 * most every 100 ms on a terminal, optionally a line every 10% elsewhere.
 */
export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly width: number;
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private drawn = false;

  constructor(private readonly options: ProgressBarOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.width = options.width ?? 30;
  }

  get isTty(): boolean {
    return Boolean(this.stream.isTTY);
  }

  update(done: number, total: number, note = ''): void {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const label = this.options.label ? `${this.options.label} ` : '';
    const unit = this.options.unit ? ` ${this.options.unit}` : '';
    const counts = `${done.toLocaleString('en')}/${total.toLocaleString('en')}${unit}`;
    const seconds = `${((Date.now() - this.started) / 1000).toFixed(1)}s`;
    const tail = note ? ` ${note}` : '';
    if (this.isTty) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && done < total) return;
      this.lastDraw = now;
      const filled = Math.round(fraction * this.width);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}`;
      const percent = `${(fraction * 100).toFixed(0).padStart(3)}%`;
      this.stream.write(`\r${label}[${bar}] ${percent} ${counts} ${seconds}${tail}\x1b[K`);
      this.drawn = true;
      if (done >= total) this.finish();
      return;
    }
    if (!this.options.logWithoutTty) return;
    const decile = Math.floor(fraction * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${label}${counts} (${Math.round(fraction * 100)}%) ${seconds}${tail}\n`);
    }
  }

  /** Ends a drawn bar's line, so that what follows starts on a fresh one. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
