import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { FlakeTrendChart } from '@/components/flaky/flake-trend-chart';
import { LeaderboardTable } from '@/components/flaky/leaderboard-table';
import { OverviewStats } from '@/components/flaky/overview-stats';
import { ProjectSettingsForm } from '@/components/flaky/project-settings-form';
import { QuarantineTable } from '@/components/flaky/quarantine-table';
import { BrokenList, RecoveredList } from '@/components/flaky/test-lists';
import { UploadForm } from '@/components/flaky/upload-form';
import { pageOf, type SearchParams } from '@/components/search-params';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { HistoryPagination } from '@/components/ui/pagination';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { ServiceError } from '@/lib/services/errors';
import { projectPolicy, requireProject } from '@/lib/services/flaky/projects';
import { cachedLeaderboard } from '@/lib/services/flaky/leaderboard-cache';
import { brokenTests, flakeTrend, projectOverview, QUARANTINE_SORTS, quarantinePage, recentlyRecovered, type QuarantineSort } from '@/lib/services/flaky/queries';

export const metadata: Metadata = { title: 'Flaky tests' };

const PAGE = 25;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function ProjectPage({ params, searchParams }: { params: Promise<{ project: string }>; searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const { project: key } = await params;
  const sp = await searchParams;
  const db = await getDb();
  const now = new Date();
  const project = await requireProject(db, 'all', key).catch((e) => (e instanceof ServiceError ? null : Promise.reject(e)));
  if (!project) notFound();
  const policy = projectPolicy(project.policy);
  const sort = (QUARANTINE_SORTS as readonly string[]).includes(one(sp.sort) ?? '') ? (one(sp.sort) as QuarantineSort) : 'since';
  const eligibleOnly = one(sp.eligible) === '1';
  const page = pageOf(sp.page);
  const [overview, trend, quarantine, leaderboard, broken, recovered] = await Promise.all([
    projectOverview(db, project.id, now, policy.minResultsForRate),
    flakeTrend(db, project.id, 30, now),
    quarantinePage(db, project.id, { page, pageSize: PAGE, sort, eligibleOnly }),
    cachedLeaderboard(db, project.id, now),
    brokenTests(db, project.id),
    recentlyRecovered(db, project.id, 14, now),
  ]);
  const canAct = hasRole(user.role, 'operator');
  const href = (over: Record<string, string | number | null>) => {
    const q = new URLSearchParams();
    const cur: Record<string, string | number | null> = { sort: sort === 'since' ? null : sort, eligible: eligibleOnly ? '1' : null, page: page > 1 ? page : null, ...over };
    for (const [k, v] of Object.entries(cur)) if (v !== null && v !== '' && !(k === 'page' && v === 1)) q.set(k, String(v));
    const s = q.toString();
    return `/flaky/${key}${s ? `?${s}` : ''}#quarantine`;
  };
  const sortLink = (s: QuarantineSort, label: string) => (
    <Link href={href({ sort: s === 'since' ? null : s, page: null })} aria-current={sort === s ? 'true' : undefined} className={buttonClasses(sort === s ? 'primary' : 'secondary', 'sm')}>{label}</Link>
  );
  return (
    <>
      <PageHeader
        title={project.name}
        description={<>Flaky tests of <span className="font-mono">{project.key}</span>: quarantine at {policy.flakesToQuarantine} flakes in {policy.windowDays} days, eligible to unquarantine after {policy.greensToUnquarantine} consecutive greens.</>}
        actions={<Link href={`/flaky/${key}/uploads`} className={buttonClasses('secondary', 'sm')}>Uploads</Link>}
      />
      <div className="space-y-6">
        <Card><OverviewStats o={overview} /></Card>
        <Card title="Flake rate, last 30 days" id="trend">
          {trend.length ? <FlakeTrendChart points={trend} target={overview.targets.flakeRate} /> : <EmptyState title="No results in the last 30 days">Upload JUnit files from CI with <code className="font-mono">steward report junit</code>.</EmptyState>}
        </Card>
        <Card
          title={`Quarantine (${quarantine.total})`}
          id="quarantine"
          description={<>Quarantined tests keep running in CI; <code className="font-mono">steward test</code> ignores their failures.</>}
        >
          <nav aria-label="Sort and filter the quarantine" className="mb-3 flex flex-wrap gap-2">{sortLink('since', 'Oldest')}{sortLink('progress', 'Progress')}{sortLink('name', 'Name')}<Link href={href({ eligible: eligibleOnly ? null : '1', page: null })} className={buttonClasses(eligibleOnly ? 'primary' : 'secondary', 'sm')} aria-current={eligibleOnly ? 'true' : undefined}>Eligible only</Link></nav>
          {quarantine.rows.length ? (
            <>
              <QuarantineTable project={key} rows={quarantine.rows} greensNeeded={policy.greensToUnquarantine} canAct={canAct} />
              <HistoryPagination shown={quarantine.rows.length} total={quarantine.total} page={page} pageSize={PAGE} noun="quarantined tests" href={(p) => href({ page: p })} />
            </>
          ) : (
            <EmptyState title={eligibleOnly ? 'No test is eligible yet' : 'Nothing is quarantined'}>{eligibleOnly ? `A quarantined test becomes eligible after ${policy.greensToUnquarantine} consecutive first-attempt passes.` : 'Tests are quarantined automatically when they flake, or by hand from their page.'}</EmptyState>
          )}
        </Card>
        <Card title="Flakiest tests, last 30 days" id="leaderboard" description={`Since ${leaderboard.since.toISOString().slice(0, 10)} 00:00 UTC, by runs impacted (retried, or failed on a commit where the test also passed), then by CI time lost.`}>
          {leaderboard.rows.length ? <LeaderboardTable project={key} rows={leaderboard.rows} /> : <EmptyState title="No flaky test in the last 30 days" />}
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title={`Broken (${broken.length})`} id="broken"><BrokenList project={key} rows={broken} /></Card>
          <Card title="Recently recovered" id="recovered"><RecoveredList project={key} rows={recovered} /></Card>
        </div>
        {hasRole(user.role, 'admin') && (
          <details className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
            <summary className="cursor-pointer text-sm font-medium">Policy and CODEOWNERS</summary>
            <div className="mt-4"><ProjectSettingsForm projectKey={key} policy={policy} codeowners={project.codeowners} /></div>
          </details>
        )}
        {canAct && (
          <Card title="Upload results" id="upload" description={<>For a one-off check; CI uploads with <code className="font-mono">steward report junit</code>.</>}>
            <UploadForm project={key} />
          </Card>
        )}
      </div>
    </>
  );
}
