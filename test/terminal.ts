import { execFileSync } from 'node:child_process';

/** A real terminal: a detached tmux session running one command, read through capture-pane. */
export class Terminal {
  private constructor(private readonly session: string) {}

  static available(): boolean {
    try {
      execFileSync('tmux', ['-V'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  /** Starts `command` in a new 160x50 tmux session in `cwd`; the pane stays open after it exits. */
  static start(command: string, cwd: string, env: Record<string, string> = {}): Terminal {
    const session = `toolwright-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const exports = Object.entries(env).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(' ');
    const args = ['new-session', '-d', '-s', session, '-x', '160', '-y', '50', '-c', cwd, `env -u CI ${exports} ${command}; echo "[exit $?]"; sleep 600`];
    // A tmux server whose last session was just killed is still exiting for a moment and refuses new sessions.
    for (let attempt = 1; ; attempt++) {
      try {
        execFileSync('tmux', args, { stdio: ['ignore', 'ignore', 'pipe'] });
        return new Terminal(session);
      } catch (error) {
        if (attempt === 5) throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200 * attempt);
      }
    }
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-J', '-S', '-', '-t', this.session], { encoding: 'utf8' });
  }

  /** Waits until the screen contains `text`, polling for at most `timeoutMs`. */
  async waitFor(text: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (screen.includes(text)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; the screen shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Does `act`, then waits until `text` shows once more than it did before: for text an earlier screen had too. */
  async afterwards(act: () => void, text: string, timeoutMs = 20_000): Promise<string> {
    const count = (screen: string) => screen.split(text).length - 1;
    const before = count(this.screen());
    act();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (count(screen) > before) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for another ${JSON.stringify(text)}; the screen shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Sends tmux key names (Enter, Down, Space, C-c ...). */
  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, ...keys]);
  }

  /**
   * Moves the cursor of the list prompt on screen (the line marked ❯) to the last line containing `label`, then
   * presses `key`: Space toggles a checkbox item, Enter picks a menu item.
   */
  pick(label: string, key: 'Space' | 'Enter'): void {
    const lines = this.screen().split('\n');
    const lastWith = (text: string): number => lines.map((line) => line.includes(text)).lastIndexOf(true);
    const cursor = lastWith('❯');
    const target = lastWith(label);
    if (cursor < 0 || target < 0) throw new Error(`no list item ${JSON.stringify(label)} on screen:\n${lines.join('\n')}`);
    const moves = Array.from({ length: Math.abs(target - cursor) }, () => (target > cursor ? 'Down' : 'Up'));
    this.keys(...moves, key);
  }

  /**
   * Searches the operation list for `query`, toggles the match for `tool` and goes back to the list; resolves
   * with the screen once it shows `selected` (`4 of 6 operations selected`).
   */
  async toggleMatch(query: string, tool: string, selected: string): Promise<string> {
    await this.afterwards(() => {
      this.type(query);
      this.keys('Enter');
    }, `Best matches for "${query}"`);
    this.pick(`-> ${tool} (`, 'Space');
    this.keys('Enter');
    return this.waitFor(selected);
  }

  /** Types literal text. */
  type(text: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, '-l', text]);
  }

  close(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.session], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
