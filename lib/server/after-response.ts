import { after } from 'next/server';

/**
 * Runs `task` once the response has been sent (Next's `after()`). Outside a request — a handler
 * called directly by the integration tests — `after()` throws, and the task starts now instead.
 * Never throws; the task handles its own errors.
 */
export function afterResponse(task: () => Promise<unknown>): void {
  try {
    after(task);
  } catch {
    void task().catch(() => undefined);
  }
}
