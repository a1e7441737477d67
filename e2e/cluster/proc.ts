// Child-process management for the test control plane.
//
// Every component runs in its own process group (spawn `detached`), wrapped in
// a tiny `sh` that starts a watchdog and then `exec`s the real binary, so the
// binary keeps the shell's pid (== the process-group id). The watchdog polls
// the Node process and kills the whole group (`kill -9 0`) as soon as Node is
// gone, even if Node was SIGKILLed and never ran its exit handlers. Normal
// shutdown kills the group explicitly; `process.on('exit')` is a second net.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

const WRAPPER =
  '( while kill -0 "$MESHGATE_PARENT_PID" 2>/dev/null; do sleep 1; done; kill -9 0 ) </dev/null >/dev/null 2>&1 &\n' +
  'exec "$@"';

const live = new Set<ManagedProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.killNow();
  });
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exitPromise: Promise<ExitInfo> | undefined;
  private exitInfo: ExitInfo | undefined;

  constructor(
    readonly name: string,
    readonly bin: string,
    readonly args: string[],
    readonly logFile: string,
  ) {}

  /** pid of the binary itself (also its process-group id). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  /** Set once the process has exited. */
  get exited(): ExitInfo | undefined {
    return this.exitInfo;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    installExitHook();
    fs.appendFileSync(
      this.logFile,
      `\n=== ${new Date().toISOString()} starting ${this.name}: ${this.bin} ${this.args.join(' ')}\n`,
    );
    const fd = fs.openSync(this.logFile, 'a');
    try {
      this.exitInfo = undefined;
      const child = spawn('/bin/sh', ['-c', WRAPPER, 'sh', this.bin, ...this.args], {
        detached: true,
        stdio: ['ignore', fd, fd],
        env: { ...process.env, MESHGATE_PARENT_PID: String(process.pid) },
      });
      this.child = child;
      this.exitPromise = new Promise<ExitInfo>((resolve) => {
        child.once('error', (err) => {
          fs.appendFileSync(this.logFile, `=== spawn error: ${String(err)}\n`);
          this.exitInfo = { code: -1, signal: null };
          live.delete(this);
          resolve(this.exitInfo);
        });
        child.once('exit', (code, signal) => {
          this.exitInfo = { code, signal };
          live.delete(this);
          try {
            fs.appendFileSync(
              this.logFile,
              `=== ${new Date().toISOString()} ${this.name} exited (code=${code}, signal=${signal})\n`,
            );
          } catch {
            // log dir may already be gone
          }
          resolve(this.exitInfo);
        });
      });
      child.unref();
      live.add(this);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Resolves when the process exits. */
  waitExit(): Promise<ExitInfo> {
    if (!this.exitPromise) return Promise.resolve({ code: null, signal: null });
    // The child is unref()ed so it never keeps Node alive on its own; while someone
    // waits for its exit it must, or Node would quit before the exit event arrives.
    if (this.running) {
      this.child?.ref();
      void this.exitPromise.then(() => this.child?.unref());
    }
    return this.exitPromise;
  }

  /** Sends a signal to the binary only (not its watchdog). */
  signal(sig: NodeJS.Signals): void {
    const pid = this.pid;
    if (pid === undefined || !this.running) throw new Error(`${this.name} is not running`);
    process.kill(pid, sig);
  }

  private signalGroup(sig: NodeJS.Signals): void {
    const pid = this.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, sig);
    } catch {
      // ESRCH: group already gone
    }
  }

  /** SIGTERM the process group, SIGKILL after graceMs. Always kills the group. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.child) return;
    if (this.running) {
      this.signalGroup('SIGCONT'); // a SIGSTOPped process would never see SIGTERM
      this.signalGroup('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        this.waitExit().then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), graceMs);
        }),
      ]);
      if (timer) clearTimeout(timer);
      if (timedOut) this.signalGroup('SIGKILL');
      await this.waitExit();
    }
    this.signalGroup('SIGKILL'); // watchdog and any stragglers
    live.delete(this);
  }

  /** Synchronous SIGKILL of the whole group (for exit handlers). */
  killNow(): void {
    this.signalGroup('SIGCONT');
    this.signalGroup('SIGKILL');
    live.delete(this);
  }
}

/** Last `lines` lines of a log file (for error messages). */
export function tailFile(file: string, lines = 30): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '';
  }
}
