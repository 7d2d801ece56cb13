import type { Metadata } from 'next';
import Link from 'next/link';
import { ChaosScenariosTable } from '@/components/soak/chaos-table';
import { projectFilter } from '@/components/soak/project-filter';
import { SoakNav } from '@/components/soak/soak-nav';
import type { SearchParams } from '@/components/search-params';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { ServiceError } from '@/lib/services/errors';
import { listChaosScenarios } from '@/lib/services/soak';

export const metadata: Metadata = { title: 'Chaos scenarios' };

const DAYS = 30;

export default async function ChaosScenariosPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const project = projectFilter((await searchParams).project);
  const db = await getDb();
  const scenarios = await listChaosScenarios(db, 'all', { project: project ?? undefined, days: DAYS, now: new Date() }).catch((e) => (e instanceof ServiceError && e.code === 'not_found' ? null : Promise.reject(e)));
  return (
    <>
      <PageHeader title="Chaos scenarios" description={`Chaos results (JSON, or JUnit cases with a tag) over the last ${DAYS} days, per scenario: the success rate against the playbook's target (> 95 %) and the worst recovery time against 30 s.`} />
      <SoakNav current="/soak/chaos" project={project} />
      {scenarios === null ? (
        <EmptyState title={`No project "${project}"`} action={<Link href="/soak/chaos" className={buttonClasses('secondary', 'sm')}>All scenarios</Link>} />
      ) : scenarios.length === 0 ? (
        <EmptyState title={`No chaos results in the last ${DAYS} days`}>
          Upload the nightly chaos results with <code className="font-mono">steward chaos report --project KEY --report-to URL results.json</code> (or a JUnit file, whose cases tagged <code className="font-mono">chaos</code> count; a token with the ingest scope in <code className="font-mono">STEWARD_TOKEN</code>), or run <code className="font-mono">steward demo</code>.
        </EmptyState>
      ) : <ChaosScenariosTable scenarios={scenarios} days={DAYS} />}
    </>
  );
}
