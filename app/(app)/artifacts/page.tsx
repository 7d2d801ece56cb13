import type { Metadata } from 'next';
import { RegisterRootForm } from '@/components/artifacts/register-root-form';
import { RootCard } from '@/components/artifacts/root-card';
import { RotationHistory } from '@/components/artifacts/rotation-history';
import { TrendCard } from '@/components/artifacts/trend-card';
import { TREND_RANGES, type TrendSeries } from '@/components/artifacts/trend-data';
import { ViolationsList } from '@/components/artifacts/violations-list';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { getEnv } from '@/lib/env';
import { allowedBases } from '@/lib/services/retention/roots';
import { rotationHistory } from '@/lib/services/retention/history-queries';
import { diskTrend, listRootCards, thresholdViolations } from '@/lib/services/retention/queries';
import { historyHref, pageOf, type SearchParams } from '@/components/artifacts/search-params';

export const metadata: Metadata = { title: 'Artifacts' };

const HISTORY_PAGE = 20;

export default async function ArtifactsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const sp = await searchParams;
  const isAdmin = hasRole(user.role, 'admin');
  const db = await getDb();
  const now = new Date();
  const roots = await listRootCards(db, now);
  const bases = allowedBases(getEnv());
  const register = isAdmin ? <RegisterRootForm bases={bases} /> : null;

  if (roots.length === 0) {
    return (
      <>
        <PageHeader title="Artifacts" description="Disk usage, previews and approved cleanups of artifact directories." />
        <EmptyState title="No artifact roots yet">
          A root is a directory on this server whose artifacts Steward rotates. {isAdmin ? 'Register one below' : 'An admin registers one on this page'}, or run{' '}
          <code className="font-mono">steward demo</code> to load a demo root with 90 days of history.
        </EmptyState>
        {register && <Card className="mt-6">{register}</Card>}
      </>
    );
  }

  const [series, history, violations] = await Promise.all([
    Promise.all(
      roots.map(async (r): Promise<TrendSeries> => {
        const [d7, d30, d90] = await Promise.all(TREND_RANGES.map((days) => diskTrend(db, r.id, days, now)));
        return { rootId: r.id, name: r.name, capBytes: r.capBytes, ranges: { 7: d7 ?? [], 30: d30 ?? [], 90: d90 ?? [] } };
      }),
    ),
    rotationHistory(db, { pageSize: HISTORY_PAGE, page: pageOf(sp.runs), runnersPage: pageOf(sp.reports) }),
    thresholdViolations(db, now),
  ]);

  return (
    <>
      <PageHeader title="Artifacts" description="Disk usage of each artifact root, its trend and history. Open a root to preview a cleanup." />
      <div className="space-y-6">
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {roots.map((r) => (
            <RootCard key={r.id} root={r} />
          ))}
        </div>
        <ViolationsList violations={violations} />
        <TrendCard series={series} />
        <RotationHistory runs={history.runs} runners={history.runners} href={(key, page) => historyHref('/artifacts', sp, key, page)} />
        {register && (
          <details className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
            <summary className="cursor-pointer text-sm font-medium">Register another root</summary>
            <div className="mt-4">{register}</div>
          </details>
        )}
      </div>
    </>
  );
}
