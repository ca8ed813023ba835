/** The steps of a generation that can take long enough to report. */
export type Step = 'load' | 'validate' | 'catalog' | 'emit' | 'write';

const labels: Record<Step, string> = {
  load: 'Loading the spec',
  validate: 'Validating the spec',
  catalog: 'Building the tool catalog',
  emit: 'Emitting the server project',
  write: 'Writing the files',
};

export type ProgressMode = 'tty' | 'lines' | 'off';

/**
 * Reports steps on stderr. On a terminal, one line redrawn in place with the step and, past a second, its
 * elapsed time, cleared when the step ends; elsewhere, a plain line as each step starts.
 */
export class Progress {
  private current?: { step: Step; started: number; detail: string };
  private timer?: NodeJS.Timeout;
  private drawn = false;

  constructor(
    private readonly mode: ProgressMode,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** The mode for this process: off when quiet, a live line on a terminal, plain lines otherwise. */
  static modeFor(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
    if (quiet) return 'off';
    return stream.isTTY && process.env.TERM !== 'dumb' ? 'tty' : 'lines';
  }

  /** Marks the start of a step (ending the previous one). */
  step(step: Step, detail = ''): void {
    this.finish();
    if (this.mode === 'off') return;
    this.current = { step, started: Date.now(), detail };
    if (this.mode === 'lines') {
      this.stream.write(`${labels[step]}${detail ? ` ${detail}` : ''}...\n`);
      return;
    }
    this.draw();
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }

  /** Ends the current step, clearing the live line. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
    this.current = undefined;
  }

  private draw(): void {
    if (!this.current) return;
    const elapsed = (Date.now() - this.current.started) / 1000;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    const text = `${labels[this.current.step]}${this.current.detail ? ` ${this.current.detail}` : ''}...${elapsed >= 1 ? ` ${elapsed.toFixed(0)} s` : ''}`;
    this.stream.write(`\r\x1b[2K${text.slice(0, width)}`);
    this.drawn = true;
  }
}
