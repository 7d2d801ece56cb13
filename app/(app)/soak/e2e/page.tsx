import type { Metadata } from 'next';
import Link from 'next/link';
import { E2ePipelinesTable } from '@/components/soak/e2e-table';
import { projectFilter } from '@/components/soak/project-filter';
import { SoakNav } from '@/components/soak/soak-nav';
import type { SearchParams } from '@/components/search-params';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { ServiceError } from '@/lib/services/errors';
import { listE2ePipelines } from '@/lib/services/soak';

export const metadata: Metadata = { title: 'E2E pipelines' };

const DAYS = 30;

export default async function E2ePipelinesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const project = projectFilter((await searchParams).project);
  const db = await getDb();
  const pipelines = await listE2ePipelines(db, 'all', { project: project ?? undefined, days: DAYS, now: new Date() }).catch((e) => (e instanceof ServiceError && e.code === 'not_found' ? null : Promise.reject(e)));
  return (
    <>
      <PageHeader title="E2E pipelines" description={`Each pipeline's runs from its events.jsonl over the last ${DAYS} days: the success rate against the playbook's target (> 98 %), the last successful step, the failing step and its error.`} />
      <SoakNav current="/soak/e2e" project={project} />
      {pipelines === null ? (
        <EmptyState title={`No project "${project}"`} action={<Link href="/soak/e2e" className={buttonClasses('secondary', 'sm')}>All pipelines</Link>} />
      ) : pipelines.length === 0 ? (
        <EmptyState title={`No E2E runs in the last ${DAYS} days`}>
          Summarise and upload a run&apos;s event log with <code className="font-mono">steward e2e summarize --pipeline NAME --project KEY --report-to URL reports/e2e/events.jsonl</code> (a token with the ingest scope in <code className="font-mono">STEWARD_TOKEN</code>), or run <code className="font-mono">steward demo</code>.
        </EmptyState>
      ) : <E2ePipelinesTable pipelines={pipelines} days={DAYS} />}
    </>
  );
}
