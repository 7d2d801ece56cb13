/**
 * The demo's simulated clock. The demo replays thirty days of operations by calling the real
 * services at the times they would have run; this clock tells them what time it is.
 *
 * - It only moves forward: `advanceTo` never goes back, so timestamps written in order stay in
 *   order.
 * - Between jumps it flows at wall-clock speed, so a service that measures a duration (an
 *   execution's `durationMs`) records the real one.
 * - It never passes `end` (the real "now" when the demo started). The files it writes carry
 *   simulated mtimes, and the retention executor compares mtimes with its clock: simulated time
 *   ahead of the real one would make files look written in the future once the demo is over.
 */
export class SimClock {
  #simMs: number;
  #wallMs: number;
  readonly endMs: number;

  constructor(startMs: number, endMs: number) {
    if (startMs > endMs) throw new Error('the simulated clock must start before it ends');
    this.#simMs = startMs;
    this.#wallMs = performance.now();
    this.endMs = endMs;
  }

  /** The current simulated time (an arrow function so it can be handed over as `clock`). */
  readonly now = (): Date => new Date(this.nowMs());

  nowMs(): number {
    return Math.min(this.endMs, Math.floor(this.#simMs + (performance.now() - this.#wallMs)));
  }

  /** Jumps forward to `ms` (capped at `end`); a time already passed leaves the clock as it is. */
  advanceTo(ms: number): Date {
    if (ms > this.nowMs()) {
      this.#simMs = Math.min(ms, this.endMs);
      this.#wallMs = performance.now();
    }
    return this.now();
  }
}
