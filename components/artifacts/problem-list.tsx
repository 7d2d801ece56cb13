'use client';
import { useQuery } from '@tanstack/react-query';
import { formatNumber } from '@/components/format';
import { fetchEntries } from './plan-api';

const LIMIT = 50;

/** Failed or skipped actions of a finished plan, with the executor's outcome for each. */
export function ProblemList({ planId, status }: { planId: string; status: 'failed' | 'skipped' }) {
  const q = useQuery({ queryKey: ['plan-problems', planId, status], queryFn: ({ signal }) => fetchEntries(planId, { kind: 'actions', status, page: 1, pageSize: LIMIT }, signal) });
  if (q.isPending) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading {status} files…</p>;
  if (q.isError) return <p className="text-sm text-red-700 dark:text-red-400">Could not load the {status} files: {q.error.message}</p>;
  if (q.data.total === 0) return null;
  return (
    <section aria-label={`${status === 'failed' ? 'Failed' : 'Skipped'} files`} className="mt-3">
      <h3 className="text-sm font-semibold">
        {status === 'failed' ? 'Failed' : 'Skipped'} ({formatNumber(q.data.total)}){q.data.total > LIMIT ? ` — first ${LIMIT}; filter the actions table below by status for all` : ''}
      </h3>
      <ul className="mt-1 space-y-1 text-sm">
        {q.data.rows.map((r) => (
          <li key={r.seq} className="break-words">
            <span className="font-mono text-xs">{r.path}</span> — {r.outcome ?? 'no reason recorded'}
          </li>
        ))}
      </ul>
    </section>
  );
}
