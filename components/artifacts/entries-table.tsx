'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatDateTime, formatNumber } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { EntriesFilters, type FilterValues } from './entries-filters';
import { formatBytes } from './format';
import { fetchEntries, fetchPlan } from './plan-api';

const PAGE_SIZE = 100;
const STATUS_TONE = { done: 'green', skipped: 'amber', failed: 'red', running: 'blue' } as const;

/** One page at a time of a plan's actions (or kept files), filtered and searched on the server. */
export function EntriesTable({ planId, ruleIds, keep = false }: { planId: string; ruleIds: string[]; keep?: boolean }) {
  const [values, setValues] = useState<FilterValues>({ q: '', kind: 'actions', ruleId: '', status: '' });
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  useEffect(() => {
    const t = setTimeout(() => {
      setQ(values.q.trim());
      setPage(1);
    }, 300);
    return () => clearTimeout(t);
  }, [values.q]);
  // Refetch when the plan's status changes (execution fills in each entry's status).
  const planStatus = useQuery({ queryKey: ['plan', planId], queryFn: ({ signal }) => fetchPlan(planId, signal), enabled: false, select: (p) => p.status }).data;
  const filter = { kind: keep ? 'keep' : values.kind, ruleId: values.ruleId || undefined, status: keep ? undefined : values.status || undefined, q: q || undefined, page, pageSize: PAGE_SIZE };
  const result = useQuery({ queryKey: ['plan-entries', planId, filter, planStatus], queryFn: ({ signal }) => fetchEntries(planId, filter, signal), placeholderData: keepPreviousData });
  const total = result.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const what = keep ? 'kept files' : 'actions';

  return (
    <div>
      <EntriesFilters prefix={keep ? 'kept' : 'actions'} values={values} ruleIds={ruleIds} keep={keep} onChange={(patch) => {
        setValues((v) => ({ ...v, ...patch }));
        if (patch.q === undefined) setPage(1);
      }} />
      <p aria-live="polite" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
        {result.data ? `${formatNumber(total)} ${what} match${total === 1 ? 'es' : ''}${total > PAGE_SIZE ? ` · showing ${formatNumber((page - 1) * PAGE_SIZE + 1)}–${formatNumber(Math.min(page * PAGE_SIZE, total))}` : ''}` : `Loading ${what}…`}
      </p>
      {result.isError && <Alert className="mb-3">Could not load the {what}: {result.error.message}</Alert>}
      {result.isPending ? (
        <div className="space-y-2">{Array.from({ length: 6 }, (_, i) => <Skeleton key={i} className="h-9" />)}</div>
      ) : total === 0 ? (
        <EmptyState title={`No ${what} match`}>{values.q || values.ruleId || values.status || values.kind !== 'actions' ? 'Clear the search or a filter.' : keep ? 'Every file in the root has an action.' : 'The policy has nothing to do in this root right now.'}</EmptyState>
      ) : (
        <Table caption={keep ? 'Kept files' : 'Planned actions'} className={result.isFetching ? 'opacity-70' : undefined}>
          <THead>
            <TR>
              <TH>Path</TH>
              {!keep && <TH>Action</TH>}
              {!keep && <TH>Status</TH>}
              <TH className="text-right">Size</TH>
              <TH>Modified</TH>
              <TH>Rule</TH>
              <TH>Reason</TH>
              {!keep && <TH className="text-right">Frees</TH>}
            </TR>
          </THead>
          <TBody>
            {result.data?.rows.map((r) => (
              <TR key={r.seq}>
                <TD className="min-w-72 font-mono text-xs break-all">{r.path}</TD>
                {!keep && <TD><Badge tone={r.kind === 'delete' ? 'red' : 'blue'}>{r.kind}</Badge></TD>}
                {!keep && (
                  <TD className="min-w-32">
                    <Badge tone={STATUS_TONE[r.status as keyof typeof STATUS_TONE] ?? 'neutral'}>{r.status}</Badge>
                    {r.outcome && <span className="mt-1 block text-xs text-zinc-600 dark:text-zinc-400">{r.outcome}</span>}
                  </TD>
                )}
                <TD className="text-right whitespace-nowrap tabular-nums">{formatBytes(r.size)}</TD>
                <TD className="whitespace-nowrap tabular-nums">{formatDateTime(r.mtime)}</TD>
                <TD className="whitespace-nowrap">{r.ruleId}</TD>
                <TD className="min-w-48">{r.reason}</TD>
                {!keep && <TD className="text-right whitespace-nowrap tabular-nums">{formatBytes(r.bytesFreed)}</TD>}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {total > PAGE_SIZE && (
        <nav aria-label={`Pages of ${what}`} className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm">
          <span className="text-zinc-600 dark:text-zinc-400">Page {formatNumber(page)} of {formatNumber(pages)}</span>
          <span className="flex gap-2">
            <Button size="sm" variant="secondary" disabled={page <= 1} onClick={() => setPage((p) => Math.max(1, p - 1))}>Previous</Button>
            <Button size="sm" variant="secondary" disabled={page >= pages} onClick={() => setPage((p) => Math.min(pages, p + 1))}>Next</Button>
          </span>
        </nav>
      )}
    </div>
  );
}
