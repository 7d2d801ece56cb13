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
import { EntriesFilters, type FilterValues, type ReasonOption } from './entries-filters';
import { formatBytes } from './format';
import { fetchEntries, fetchPlan } from './plan-api';
import { pageParam, useUrlParams } from './use-url-params';

const PAGE_SIZE = 100;
const STATUS_TONE = { done: 'green', skipped: 'amber', failed: 'red', running: 'blue' } as const;

/** URL keys of each table's filters: both tables share the plan page's query string. */
const KEYS = {
  actions: { q: 'q', kind: 'kind', ruleId: 'rule', status: 'status', reason: 'reason', page: 'page' },
  keep: { q: 'kq', kind: 'kkind', ruleId: 'krule', status: 'kstatus', reason: 'kreason', page: 'kpage' },
} as const;

/**
 * One page at a time of a plan's actions (or kept files), filtered, searched and sorted (natural
 * path order) on the server. Filters and page live in the URL, so a view can be shared.
 */
export function EntriesTable({ planId, ruleIds, reasons = [], keep = false }: { planId: string; ruleIds: string[]; reasons?: ReasonOption[]; keep?: boolean }) {
  const keys = keep ? KEYS.keep : KEYS.actions;
  const [params, setParams] = useUrlParams();
  const values: FilterValues = {
    q: params.get(keys.q) ?? '',
    kind: keep ? 'keep' : (params.get(keys.kind) ?? 'actions'),
    ruleId: params.get(keys.ruleId) ?? '',
    status: keep ? '' : (params.get(keys.status) ?? ''),
    reason: keep ? (params.get(keys.reason) ?? '') : '',
  };
  const page = pageParam(params.get(keys.page));
  // The search box is typed into locally and written to the URL once typing pauses.
  const [text, setText] = useState(values.q);
  // Back / forward changes the URL's search: show it, unless it is what is being typed.
  const [urlQ, setUrlQ] = useState(values.q);
  if (urlQ !== values.q) {
    setUrlQ(values.q);
    if (text.trim() !== values.q) setText(values.q);
  }
  useEffect(() => {
    if (text.trim() === values.q) return;
    const t = setTimeout(() => setParams({ [keys.q]: text.trim(), [keys.page]: null }, 'replace'), 300);
    return () => clearTimeout(t);
  }, [text, values.q, keys, setParams]);

  // Refetch when the plan's status changes (execution fills in each entry's status).
  const planStatus = useQuery({ queryKey: ['plan', planId], queryFn: ({ signal }) => fetchPlan(planId, signal), enabled: false, select: (p) => p.status }).data;
  const filter = { kind: values.kind, ruleId: values.ruleId || undefined, reason: values.reason || undefined, status: values.status || undefined, q: values.q || undefined, page, pageSize: PAGE_SIZE };
  const result = useQuery({ queryKey: ['plan-entries', planId, filter, planStatus], queryFn: ({ signal }) => fetchEntries(planId, filter, signal), placeholderData: keepPreviousData });
  const total = result.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const what = keep ? 'kept files' : 'actions';
  const filtered = Boolean(values.q || values.ruleId || values.status || values.reason || values.kind !== (keep ? 'keep' : 'actions'));
  const goTo = (p: number) => setParams({ [keys.page]: p });

  return (
    <div>
      <EntriesFilters prefix={keep ? 'kept' : 'actions'} values={{ ...values, q: text }} ruleIds={ruleIds} reasons={reasons} keep={keep} onChange={(patch) => {
        if (patch.q !== undefined) return setText(patch.q);
        const next: Record<string, string | null> = { [keys.page]: null };
        if (patch.kind !== undefined) next[keys.kind] = patch.kind === 'actions' ? null : patch.kind;
        if (patch.ruleId !== undefined) next[keys.ruleId] = patch.ruleId;
        if (patch.status !== undefined) next[keys.status] = patch.status;
        if (patch.reason !== undefined) next[keys.reason] = patch.reason;
        setParams(next);
      }} />
      <p aria-live="polite" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
        {result.data ? `${formatNumber(total)} ${total === 1 ? what.replace(/s$/, '') : what} match${total === 1 ? 'es' : ''}${total > PAGE_SIZE ? ` · showing ${formatNumber(Math.min((page - 1) * PAGE_SIZE + 1, total))}–${formatNumber(Math.min(page * PAGE_SIZE, total))}` : ''}` : `Loading ${what}…`}
      </p>
      {result.isError && <Alert className="mb-3">Could not load the {what}: {result.error.message}</Alert>}
      {result.isPending ? (
        <div className="space-y-2">{Array.from({ length: 6 }, (_, i) => <Skeleton key={i} className="h-9" />)}</div>
      ) : total === 0 ? (
        <EmptyState title={`No ${what} match`}>{filtered ? 'Clear the search or a filter.' : keep ? 'Every file in the root has an action.' : 'The policy has nothing to do in this root right now.'}</EmptyState>
      ) : result.data?.rows.length === 0 ? (
        <EmptyState title={`Page ${formatNumber(page)} is past the end`} action={<Button size="sm" variant="secondary" onClick={() => goTo(pages)}>Go to page {formatNumber(pages)}</Button>}>There are {formatNumber(pages)} pages.</EmptyState>
      ) : (
        <Table caption={keep ? 'Kept files' : 'Planned actions'} className={result.isFetching ? 'opacity-70' : undefined}>
          <THead>
            <TR>
              <TH>Path</TH>
              {!keep && <TH>Action</TH>}
              {!keep && <TH>Status</TH>}
              <TH className="text-right">Size</TH>
              {!keep && <TH className="text-right">{planStatus === 'done' || planStatus === 'failed' ? 'Planned to free' : 'Frees'}</TH>}
              <TH>{keep ? 'Why kept' : 'Rule and reason'}</TH>
            </TR>
          </THead>
          <TBody>
            {result.data?.rows.map((r) => (
              <TR key={r.seq}>
                <TD className="min-w-56">
                  <span className="block font-mono text-xs break-all">{r.path}</span>
                  <span className="mt-0.5 block text-xs whitespace-nowrap text-zinc-600 tabular-nums dark:text-zinc-400">modified {formatDateTime(r.mtime)}</span>
                </TD>
                {!keep && <TD><Badge tone={r.kind === 'delete' ? 'red' : 'blue'}>{r.kind}</Badge></TD>}
                {!keep && (
                  <TD className="min-w-28">
                    <Badge tone={STATUS_TONE[r.status as keyof typeof STATUS_TONE] ?? 'neutral'}>{r.status}</Badge>
                    {r.outcome && <span className="mt-1 block text-xs break-words text-zinc-600 dark:text-zinc-400">{r.outcome}</span>}
                  </TD>
                )}
                <TD className="text-right whitespace-nowrap tabular-nums">{formatBytes(r.size)}</TD>
                {!keep && <TD className="text-right whitespace-nowrap tabular-nums">{formatBytes(r.bytesFreed)}</TD>}
                {/* Reasons wrap between words; only paths break anywhere. */}
                <TD className="min-w-44 break-words">
                  <span className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">{r.ruleId}</span>
                  {r.reason}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {total > PAGE_SIZE && (
        <nav aria-label={`Pages of ${what}`} className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm">
          <span className="text-zinc-600 dark:text-zinc-400">Page {formatNumber(Math.min(page, pages))} of {formatNumber(pages)}</span>
          <span className="flex gap-2">
            <Button size="sm" variant="secondary" disabled={page <= 1} onClick={() => goTo(Math.min(pages, page - 1))}>Previous</Button>
            <Button size="sm" variant="secondary" disabled={page >= pages} onClick={() => goTo(page + 1)}>Next</Button>
          </span>
        </nav>
      )}
    </div>
  );
}
