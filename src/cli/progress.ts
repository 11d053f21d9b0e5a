// A small progress bar for long CLI work. It draws on stderr only when stderr is a terminal and
// machine output was not requested, so pipes and `--json` stay clean.

/** A progress bar over a known number of steps, with an ETA. */
export class ProgressBar {
  private done = 0;
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly enabled: boolean = process.stderr.isTTY === true,
  ) {}

  /** Marks `n` more steps done; `detail` is shown after the counts. */
  tick(detail = '', n = 1): void {
    this.done += n;
    const now = Date.now();
    if (!this.enabled || (now - this.lastDraw < 100 && this.done < this.total)) return;
    this.lastDraw = now;
    const width = 24;
    const frac = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const filled = Math.round(frac * width);
    const elapsed = (now - this.started) / 1000;
    const eta = frac > 0 ? elapsed / frac - elapsed : 0;
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    process.stderr.write(`\r${this.label} [${bar}] ${this.done}/${this.total} ETA ${formatSeconds(eta)} ${detail.slice(0, 40).padEnd(40)}`);
  }

  /** Clears the bar's line. */
  finish(): void {
    if (this.enabled) process.stderr.write('\r' + ' '.repeat(110) + '\r');
  }
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${Math.round(s % 60)}s` : `${s.toFixed(1)}s`;
}
