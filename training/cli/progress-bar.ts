/** A one-line progress bar on stderr; without a TTY it prints a line every 10% instead of redrawing. */
export class ProgressBar {
  private lastDecile = -1;
  private readonly tty: boolean;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  update(done: number, note = ''): void {
    const share = this.total === 0 ? 1 : done / this.total;
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    if (this.tty) {
      const width = 30;
      const filled = Math.round(share * width);
      this.out.write(
        `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${seconds}s ${note}\x1b[K`,
      );
      if (done >= this.total) this.out.write('\n');
      return;
    }
    const decile = Math.floor(share * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(`${this.label} ${done}/${this.total} (${Math.round(share * 100)}%) ${seconds}s ${note}\n`);
    }
  }
}
