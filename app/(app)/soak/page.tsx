import type { Metadata } from 'next';
import Link from 'next/link';
import { SoakNav } from '@/components/soak/soak-nav';
import { SoakRunsTable } from '@/components/soak/runs-table';
import type { SearchParams } from '@/components/search-params';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { ServiceError } from '@/lib/services/errors';
import { listSoakRuns } from '@/lib/services/soak';
import { projectFilter } from '@/components/soak/project-filter';

export const metadata: Metadata = { title: 'Soak runs' };

const PAGE = 50;

export default async function SoakRunsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const sp = await searchParams;
  const project = projectFilter(sp.project);
  const before = typeof sp.before === 'string' && !Number.isNaN(Date.parse(sp.before)) ? new Date(sp.before) : undefined;
  const db = await getDb();
  const runs = await listSoakRuns(db, 'all', { project: project ?? undefined, limit: PAGE + 1, before }).catch((e) => (e instanceof ServiceError && e.code === 'not_found' ? null : Promise.reject(e)));
  const shown = runs?.slice(0, PAGE) ?? [];
  const older = runs && runs.length > PAGE ? shown.at(-1)!.startedAt : null;
  const q = (over: Record<string, string>) => `/soak?${new URLSearchParams({ ...(project ? { project } : {}), ...over }).toString()}`;
  return (
    <>
      <PageHeader title="Soak" description="Long-running soak tests judged against the runbook's success criteria: memory growth from a Theil–Sen trend after the warm-up (> 10 MB/h is a leak), CPU, disk, reconnections, zombies, crashes and security findings." />
      <SoakNav current="/soak" project={project} />
      {runs === null ? (
        <EmptyState title={`No project "${project}"`} action={<Link href="/soak" className={buttonClasses('secondary', 'sm')}>All soak runs</Link>} />
      ) : shown.length === 0 ? (
        <EmptyState title={before ? 'No older soak runs' : 'No soak runs yet'}>
          Send a run&apos;s resource samples (JSON lines or CSV with <code className="font-mono">ts</code>, <code className="font-mono">rss_mb</code>, <code className="font-mono">cpu_pct</code>, <code className="font-mono">open_fds</code>…), its <code className="font-mono">resources.analysis.json</code> and an audit report with{' '}
          <code className="font-mono">steward soak report --run NAME --project KEY --report-to URL resources.jsonl</code> (a token with the ingest scope in <code className="font-mono">STEWARD_TOKEN</code>), or run <code className="font-mono">steward demo</code> for a leaking and a healthy 24-hour run.
        </EmptyState>
      ) : (
        <>
          <SoakRunsTable runs={shown} />
          <nav aria-label="Pages of soak runs" className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm">
            <p className="text-zinc-600 tabular-nums dark:text-zinc-400">{shown.length} run(s){before ? ` started before ${before.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}</p>
            <div className="flex gap-2">
              {before && <Link href={q({})} className={buttonClasses('secondary', 'sm')}>Newest</Link>}
              {older && <Link href={q({ before: older })} rel="next" className={buttonClasses('secondary', 'sm')}>Older</Link>}
            </div>
          </nav>
        </>
      )}
    </>
  );
}
