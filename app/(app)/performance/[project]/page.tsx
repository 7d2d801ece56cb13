import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SeriesFilters } from '@/components/perf/filters';
import { MetricsTable } from '@/components/perf/metrics-table';
import { ReadinessList } from '@/components/perf/readiness-list';
import { RefreshAllForm } from '@/components/perf/refresh-all-form';
import { RegressionsTable } from '@/components/perf/regressions-table';
import { PerfUploadForm } from '@/components/perf/upload-form';
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
import { requireProject } from '@/lib/services/flaky/projects';
import { branchReadiness } from '@/lib/services/perf/refresh-all';
import { REGRESSION_STATES, regressionsPage, type RegressionState } from '@/lib/services/perf/regression-list';
import { filterOptions, seriesPage } from '@/lib/services/perf/series';

export const metadata: Metadata = { title: 'Performance' };

const PAGE = 25;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function PerfProjectPage({ params, searchParams }: { params: Promise<{ project: string }>; searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const { project: key } = await params;
  const sp = await searchParams;
  const db = await getDb();
  const project = await requireProject(db, 'all', key).catch((e) => (e instanceof ServiceError ? null : Promise.reject(e)));
  if (!project) notFound();
  const options = await filterOptions(db, project.id);
  const base = options.bases.includes('main') ? 'main' : options.bases[0] ?? 'main';
  const branch = one(sp.branch)?.trim() || base;
  const profileParam = one(sp.profile);
  const profile = profileParam === 'any' ? null : profileParam && options.profiles.includes(profileParam) ? profileParam : options.profiles.includes(branch) ? branch : null;
  const testbed = options.testbeds.find((t) => t.id === one(sp.testbed))?.id ?? '';
  const page = pageOf(sp.page);
  const rpage = pageOf(sp.rpage);
  const rstatus = (REGRESSION_STATES as readonly string[]).includes(one(sp.rstatus) ?? '') ? (one(sp.rstatus) as RegressionState) : null;
  const canAct = hasRole(user.role, 'operator');
  const [series, regressions, readiness] = await Promise.all([
    seriesPage(db, project.id, { branch, profile, testbedId: testbed || null }, page, PAGE),
    regressionsPage(db, project.id, { status: rstatus, page: rpage, pageSize: PAGE }),
    branchReadiness(db, 'all', key, base),
  ]);
  const href = (over: Record<string, string | number | null>, hash = '') => {
    const q = new URLSearchParams();
    const cur: Record<string, string | number | null> = { profile: profileParam ?? null, branch: branch === base ? null : branch, testbed: testbed || null, page: page > 1 ? page : null, rpage: rpage > 1 ? rpage : null, rstatus, ...over };
    for (const [k, v] of Object.entries(cur)) if (v !== null && v !== '' && !(k.endsWith('page') && v === 1)) q.set(k, String(v));
    const s = q.toString();
    return `/performance/${key}${s ? `?${s}` : ''}${hash}`;
  };
  const stateLink = (s: RegressionState | null, label: string) => (
    <Link key={label} href={href({ rstatus: s, rpage: null }, '#regressions')} scroll={false} aria-current={rstatus === s ? 'true' : undefined} className={buttonClasses(rstatus === s ? 'primary' : 'secondary', 'sm')}>{label}</Link>
  );
  return (
    <>
      <PageHeader
        title={project.name}
        description={<>Performance of <span className="font-mono">{project.key}</span>: each metric&apos;s latest run against its budget and baseline (warn &gt; 5 %, fail &gt; 10 % beyond noise, confirmed by a second run).</>}
        actions={<Link href="/performance" className={buttonClasses('secondary', 'sm')}>All projects</Link>}
      />
      <div className="space-y-6">
        <Card title={`Metrics on ${branch}`} id="metrics" description={profile ? `Runs of the ${profile} profile.` : 'Runs of every profile.'}>
          <SeriesFilters options={options} profile={profile ?? 'any'} branch={branch} testbed={testbed} />
          {series.rows.length ? (
            <>
              <MetricsTable project={key} branch={branch} rows={series.rows} />
              <HistoryPagination shown={series.rows.length} total={series.total} page={page} pageSize={PAGE} noun="series" href={(p) => href({ page: p }, '#metrics')} />
            </>
          ) : (
            <EmptyState title="No runs match these filters">Pick another branch or profile, or send results with <code className="font-mono">steward perf check --project {key} --branch {branch}</code>.</EmptyState>
          )}
        </Card>
        <Card title={`Regressions (${regressions.total})`} id="regressions" description={<>Opened when a failure on <span className="font-mono">{base}</span> is confirmed; closed as fixed when a run is back within 5 %.</>}>
          <nav aria-label="Filter the regressions" className="mb-3 flex flex-wrap gap-2">{[stateLink(null, 'All'), ...REGRESSION_STATES.map((s) => stateLink(s, s[0]!.toUpperCase() + s.slice(1)))]}</nav>
          {regressions.rows.length ? (
            <>
              <RegressionsTable project={key} rows={regressions.rows} canAct={canAct} />
              <HistoryPagination shown={regressions.rows.length} total={regressions.total} page={rpage} pageSize={PAGE} noun="regressions" href={(p) => href({ rpage: p }, '#regressions')} />
            </>
          ) : (
            <EmptyState title={rstatus ? `No ${rstatus} regression` : 'No regression yet'}>A regression opens when two runs in a row on {base} are worse than the baseline beyond noise.</EmptyState>
          )}
        </Card>
        <Card title={`Baselines on ${base}`} id="baselines" description="A baseline moves only when the latest run passed its budgets, is no regression, and the last 5 runs are stable (the seed's Monday rule).">
          {readiness.length ? <ReadinessList rows={readiness} /> : <EmptyState title={`No runs on ${base} yet`} />}
          {canAct && readiness.length > 0 && <div className="mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800"><RefreshAllForm project={key} branch={base} ready={readiness.filter((r) => r.ready).length} /></div>}
        </Card>
        {canAct && (
          <Card title="Upload results" id="upload" description={<>For a one-off run; CI sends results with <code className="font-mono">steward perf check</code>.</>}>
            <PerfUploadForm project={key} profiles={options.profiles} />
          </Card>
        )}
      </div>
    </>
  );
}
