import type { SeriesReadinessRow } from '@/lib/services/perf/refresh-all';

/** Which series of the base branch may take a new baseline now, and why the others may not. */
export function ReadinessList({ rows }: { rows: SeriesReadinessRow[] }) {
  const ready = rows.filter((r) => r.ready);
  const waiting = rows.filter((r) => !r.ready);
  return (
    <div className="space-y-2 text-sm">
      <p>
        <span className="font-semibold tabular-nums">{ready.length}</span> of <span className="tabular-nums">{rows.length}</span> series ready
        {ready.length > 0 && <span className="text-zinc-600 dark:text-zinc-400">: {ready.map((r) => `${r.metric} on ${r.testbed}`).join(', ')}</span>}.
      </p>
      {waiting.length > 0 && (
        <details>
          <summary className="cursor-pointer text-zinc-700 dark:text-zinc-300">Why {waiting.length} {waiting.length === 1 ? 'is' : 'are'} not ready</summary>
          <ul className="mt-2 space-y-1" aria-label="Series not ready">
            {waiting.map((r) => (
              <li key={`${r.metricId}:${r.testbedId}`} className="break-words">
                <span className="font-medium">{r.metric}</span> <span className="text-zinc-500">({r.measure}, {r.testbed})</span>: {r.reasons.join('; ')}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
