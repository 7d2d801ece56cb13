import { formatDateTime, formatNumber } from '@/components/format';
import type { HistoryCell } from '@/lib/services/flaky/test-detail';
import { OUTCOME, shortSha } from './format';

/**
 * The last 100 results, oldest first, one cell each. Colour is not the only signal: each cell's
 * title and accessible label say the outcome, attempts, commit, branch and variant, and a
 * quarantined result carries a ring and the word in its label. Cells link to the CI run.
 */
export function HistoryStrip({ cells }: { cells: HistoryCell[] }) {
  const counts = cells.reduce<Record<string, number>>((m, c) => ((m[c.outcome] = (m[c.outcome] ?? 0) + 1), m), {});
  return (
    <div>
      <ol className="flex flex-wrap gap-0.5" aria-label="Results, oldest first">
        {cells.map((c) => {
          const label = `${formatDateTime(c.at)}: ${c.outcome}${c.attempts > 1 ? ` after ${c.attempts} attempts (${c.failedAttempts} failed)` : ''}, commit ${shortSha(c.commit)}${c.branch ? ` on ${c.branch}` : ''}${c.variant ? `, ${c.variant}` : ''}${c.quarantined ? ', while quarantined' : ''}${c.infra ? ', infrastructure failure' : ''}`;
          const cell = <span className={`block h-6 w-2.5 rounded-sm ${OUTCOME[c.outcome]?.cell ?? 'bg-zinc-400'} ${c.quarantined ? 'ring-2 ring-sky-500 ring-offset-1 dark:ring-offset-zinc-900' : ''} ${c.infra ? 'opacity-40' : ''}`} />;
          return (
            <li key={c.id} title={label} aria-label={label}>
              {c.runUrl ? <a href={c.runUrl} rel="noreferrer noopener" target="_blank">{cell}</a> : cell}
            </li>
          );
        })}
      </ol>
      <p className="mt-2 text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
        {Object.entries(OUTCOME).filter(([k]) => counts[k]).map(([k, o]) => `${formatNumber(counts[k]!)} ${o.label}`).join(' · ') || 'no results yet'}
        {cells.some((c) => c.quarantined) && ' · ringed: while quarantined'}
      </p>
    </div>
  );
}
