// @ts-check
// Keeps the processes of `npm start` and `npm run worker` running: a child that exits on its own is started
// again after a backoff (1 s, 2 s, 4 s … capped), and stop() ends them all, newest first.
import { isRunning, stopChild } from './services.mjs';

/** @typedef {import('node:child_process').ChildProcess & { serviceName?: string, stopSignal?: NodeJS.Signals }} Child */

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/** A child that ran this long was healthy: its next crash starts the backoff from the beginning again. */
const STABLE_AFTER_MS = 60_000;

const clock = () => new Date().toTimeString().slice(0, 8);

export class Supervisor {
  /** @type {{ name: string, child: Child | null, timer: NodeJS.Timeout | null }[]} */
  #services = [];
  #stopping = false;
  #say;

  /** @param {(line: string) => void} say */
  constructor(say) {
    this.#say = say;
  }

  get stopping() {
    return this.#stopping;
  }

  /**
   * Starts `spawnFn()` now and again whenever its child exits unasked. `afterRestart` runs once a restarted child
   * is up (e.g. wait for its port); its failure counts as a crash.
   * @param {string} name
   * @param {() => Child} spawnFn
   * @param {{ afterRestart?: (child: Child) => Promise<unknown> }} [options]
   * @returns {Child}
   */
  keep(name, spawnFn, { afterRestart } = {}) {
    const entry = { name, child: /** @type {Child | null} */ (null), timer: /** @type {NodeJS.Timeout | null} */ (null) };
    this.#services.push(entry);
    let delay = FIRST_DELAY_MS;
    let quickCrashes = 0;
    const launch = (/** @type {boolean} */ restarted) => {
      const startedAt = Date.now();
      const child = spawnFn();
      entry.child = child;
      child.once('exit', (code, signal) => {
        if (this.#stopping || /** @type {any} */ (child).stopping) return;
        const ranMs = Date.now() - startedAt;
        if (ranMs >= STABLE_AFTER_MS) {
          delay = FIRST_DELAY_MS;
          quickCrashes = 0;
        } else quickCrashes++;
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const repeat = quickCrashes > 1 ? `; it crashed ${quickCrashes} times in a row within ${STABLE_AFTER_MS / 1000}s of starting, backing off` : '';
        const at = new Date(Date.now() + delay).toTimeString().slice(0, 8);
        this.#say(`${name} ${how} at ${clock()} after ${(ranMs / 1000).toFixed(1)}s; restarting in ${delay / 1000}s (at ${at})${repeat}`);
        entry.timer = setTimeout(() => {
          entry.timer = null;
          if (!this.#stopping) launch(true);
        }, delay);
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      });
      if (restarted) {
        this.#say(`${name} restarted (pid ${child.pid})`);
        afterRestart?.(child).catch((/** @type {Error} */ err) => {
          this.#say(`${name} did not come back: ${err.message}`);
          if (isRunning(child)) child.kill('SIGKILL'); // its exit schedules the next try
        });
      }
      return child;
    };
    return launch(false);
  }

  /** Stops every child, newest first; no child is restarted after this. */
  async stop() {
    this.#stopping = true;
    for (const entry of [...this.#services].reverse()) {
      if (entry.timer) clearTimeout(entry.timer);
      if (entry.child) await stopChild(entry.child, { signal: entry.child.stopSignal ?? 'SIGTERM' });
    }
  }

  /** Children still running (for a last-resort kill when this process dies without stop()). */
  running() {
    /** @type {Child[]} */
    const children = [];
    for (const { child } of this.#services) if (child && isRunning(child)) children.push(child);
    return children;
  }
}
