import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateProjectForm } from '@/components/flaky/create-project-form';
import { formatRate } from '@/components/flaky/format';
import { formatNumber } from '@/components/format';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { hasRole } from '@/lib/engine/roles';
import { listProjects } from '@/lib/services/flaky/projects';
import { projectOverview } from '@/lib/services/flaky/queries';

export const metadata: Metadata = { title: 'Flaky tests' };

export default async function FlakyPage() {
  const user = await requireUser();
  const db = await getDb();
  const now = new Date();
  const projects = await listProjects(db, 'all');
  const cards = await Promise.all(projects.map(async (p) => ({ p, o: await projectOverview(db, p.id, now) })));
  const isAdmin = hasRole(user.role, 'admin');
  return (
    <>
      <PageHeader title="Flaky tests" description="JUnit results from CI, tests that both pass and fail on one commit, and the quarantine list CI reads." />
      {cards.length === 0 ? (
        <EmptyState title="No projects yet">
          A project is a repository whose CI uploads test results. {isAdmin ? 'Create one below' : 'An admin creates one on this page'}, or run <code className="font-mono">steward demo</code> to load two demo projects with 60 days of CI.
        </EmptyState>
      ) : (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {cards.map(({ p, o }) => (
            <Card key={p.id} title={<Link href={`/flaky/${p.key}`} className="hover:underline">{p.name}</Link>} description={<span className="font-mono">{p.key}</span>}>
              <dl className="grid grid-cols-3 gap-3 text-sm">
                <div><dt className="text-zinc-500">Flake rate (7 d)</dt><dd className="font-semibold tabular-nums">{formatRate(o.windows[0]?.flakeRate)}</dd></div>
                <div><dt className="text-zinc-500">Quarantined</dt><dd className="font-semibold tabular-nums">{formatNumber(o.quarantined)}</dd></div>
                <div><dt className="text-zinc-500">Tests</dt><dd className="font-semibold tabular-nums">{formatNumber(o.tracked)}</dd></div>
              </dl>
            </Card>
          ))}
        </div>
      )}
      {isAdmin && (
        <Card className="mt-6" title="New project" id="new-project">
          <CreateProjectForm />
        </Card>
      )}
    </>
  );
}
