import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { userActor } from '@/components/cron/actor';
import { ChecksTable } from '@/components/cron/checks-table';
import { CheckFilters, StateChips } from '@/components/cron/filters';
import { PingKeys } from '@/components/cron/ping-keys';
import { pingUrl, requestBase } from '@/components/cron/snippets';
import { formatNumber } from '@/components/format';
import type { SearchParams } from '@/components/search-params';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { configuredOrigin } from '@/lib/auth/origin';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { CHECK_STATES, type CheckState } from '@/lib/engine/cron/types';
import { hasRole } from '@/lib/engine/roles';
import { listChecks, listPingKeys } from '@/lib/services/cron';
import { ServiceError } from '@/lib/services/errors';

export const metadata: Metadata = { title: 'Cron' };

const PAGE = 50;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export default async function CronPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const stateParam = one(sp.state);
  const state = stateParam && (CHECK_STATES as readonly string[]).includes(stateParam) ? (stateParam as CheckState) : undefined;
  const tag = one(sp.tag)?.slice(0, 100);
  const search = one(sp.q)?.slice(0, 200);
  const cursor = one(sp.cursor)?.slice(0, 500) ?? null;
  const canEdit = hasRole(user.role, 'operator');
  const isAdmin = hasRole(user.role, 'admin');
  const db = await getDb();
  const actor = userActor(user);
  const now = new Date();
  // A cursor this list did not give out (an edited link) reads as the first page, never an error.
  const list = await listChecks(db, actor, { state, tag, search, limit: PAGE, cursor }, now).catch((e) =>
    e instanceof ServiceError && e.code === 'invalid' && cursor ? listChecks(db, actor, { state, tag, search, limit: PAGE }, now) : Promise.reject(e),
  );
  const keys = isAdmin ? await listPingKeys(db, actor) : [];
  const base = configuredOrigin() ?? requestBase(await headers());
  const filters = { state, tag, q: search };
  const href = (over: Partial<Record<'state' | 'tag' | 'q' | 'cursor', string | undefined>>) => {
    const q = new URLSearchParams();
    for (const [k, val] of Object.entries({ ...filters, ...over })) if (val) q.set(k, val);
    const s = q.toString();
    return `/cron${s ? `?${s}` : ''}`;
  };
  const total = CHECK_STATES.reduce((n, s) => n + (list.counts[s] ?? 0), 0);
  const filtered = Boolean(state || tag || search);
  return (
    <>
      <PageHeader
        title="Cron"
        description="Scheduled jobs watched through ping URLs (Healthchecks-compatible) or the age of an artifact file: which checks are late or down, and why."
        actions={canEdit ? <Link href="/cron/new" className={buttonClasses('primary', 'sm')}>New check</Link> : undefined}
      />
      <div className="space-y-6">
        {total === 0 && !filtered ? (
          <EmptyState title="No checks yet" action={canEdit ? <Link href="/cron/new" className={buttonClasses('primary', 'sm')}>New check</Link> : undefined}>
            <p>
              {canEdit ? 'Create a check' : 'An operator creates a check'}, then make the job call its ping URL when it succeeds, e.g. at the end of its crontab line:
            </p>
            <pre className="mt-2 overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 text-left font-mono text-xs text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100">{`0 3 * * * /path/to/job.sh && curl -fsS -m 10 --retry 5 -o /dev/null ${pingUrl(base, '<uuid>')}`}</pre>
            <p className="mt-2">
              Existing Healthchecks lines work after changing the host. For artifact freshness, run <code className="font-mono">steward sentinel --config deploy/cron/sentinel.yaml --report-to {base}</code>, or <code className="font-mono">steward demo</code> for sample checks.
            </p>
          </EmptyState>
        ) : (
          <Card title="Checks" id="checks" description={`${formatNumber(total)} check${total === 1 ? '' : 's'}${tag || search ? ' matching the tag and search' : ''}.`}>
            <StateChips counts={list.counts} total={total} current={state} href={(s) => href({ state: s, cursor: undefined })} />
            <CheckFilters tags={list.tags} tag={tag} q={search} state={state} />
            {list.checks.length === 0 ? (
              <EmptyState title="No check matches these filters" action={<Link href="/cron" className={buttonClasses('secondary', 'sm')}>Clear the filters</Link>} />
            ) : (
              <>
                <ChecksTable checks={list.checks} now={now} />
                <nav aria-label="Pages of checks" className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm">
                  <p className="text-zinc-600 tabular-nums dark:text-zinc-400">
                    {formatNumber(list.checks.length)} shown{cursor ? ' (a later page)' : ''}
                  </p>
                  <div className="flex gap-2">
                    {cursor && <Link href={href({ cursor: undefined })} className={buttonClasses('secondary', 'sm')}>First page</Link>}
                    {list.nextCursor && <Link href={href({ cursor: list.nextCursor })} rel="next" className={buttonClasses('secondary', 'sm')}>Next page</Link>}
                  </div>
                </nav>
              </>
            )}
          </Card>
        )}
        {isAdmin && <PingKeys keys={keys} base={base} />}
      </div>
    </>
  );
}
