import type { Metadata } from 'next';
import Link from 'next/link';
import { AuditFilters } from '@/components/audit/audit-filters';
import { AuditTable } from '@/components/audit/audit-table';
import { Pagination } from '@/components/audit/pagination';
import { auditHref, parseAuditSearch, type SearchParams } from '@/components/audit/parse-filter';
import { Alert } from '@/components/ui/alert';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { plural } from '@/components/format';
import { requireUser } from '@/lib/auth/page';
import { getDb } from '@/lib/db/client';
import { listAudit, listAuditActions } from '@/lib/services/audit';

export const metadata: Metadata = { title: 'Audit' };

const FILTER_LABELS: Partial<Record<string, string>> = { actor: 'Actor', action: 'Action', outcome: 'Outcome', from: 'From', to: 'To', page: 'page', pageSize: 'page size' };

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireUser();
  const { filter, values, ignored } = parseAuditSearch(await searchParams);
  const db = await getDb();
  const [result, actions] = await Promise.all([listAudit(db, filter), listAuditActions(db)]);
  const pageCount = Math.max(1, Math.ceil(result.total / result.pageSize));
  const filtered = Boolean(values.actor || values.action || values.outcome || values.from || values.to);
  const href = (page: number) => auditHref(values, page);

  return (
    <>
      <PageHeader title="Audit" description="Every change in Steward: who did what, when, and what it changed. Refused attempts are shown as denied." />
      <AuditFilters values={values} actions={actions} />
      {ignored.length > 0 && (
        <Alert tone="warning" className="mb-4">
          Ignored an invalid value for {ignored.map((k) => FILTER_LABELS[k] ?? k).join(', ')}; showing results without it.
        </Alert>
      )}
      {result.total === 0 ? (
        filtered ? (
          <EmptyState
            title="No events match these filters"
            action={
              <Link href="/audit" className={buttonClasses('secondary', 'sm')}>
                Clear filters
              </Link>
            }
          >
            Widen the date range or clear a filter.
          </EmptyState>
        ) : (
          <EmptyState title="No audit events yet">
            Every change made in Steward is recorded here. Add a user or create an API token in Settings and it will appear.
          </EmptyState>
        )
      ) : result.rows.length === 0 ? (
        <EmptyState
          title={`Page ${result.page} is past the end`}
          action={
            <Link href={href(pageCount)} className={buttonClasses('secondary', 'sm')}>
              Go to page {pageCount}
            </Link>
          }
        >
          These filters match {plural(result.total, 'event')} on {plural(pageCount, 'page')}.
        </EmptyState>
      ) : (
        <>
          <AuditTable rows={result.rows} />
          <Pagination page={result.page} pageCount={pageCount} total={result.total} href={href} />
        </>
      )}
    </>
  );
}
