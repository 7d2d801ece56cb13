import Link from 'next/link';
import { Button, buttonClasses } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { AuditFormValues } from './parse-filter';

/**
 * A plain GET form: the filter lives in the URL, so it can be bookmarked and shared, and it
 * works before any JavaScript loads. Submitting starts again at page 1.
 */
export function AuditFilters({ values, actions }: { values: AuditFormValues; actions: readonly string[] }) {
  const actionOptions = [{ value: '', label: 'All actions' }, ...actions.map((a) => ({ value: a, label: a }))];
  // Keep a filtered-on action selectable even if it no longer occurs.
  if (values.action && !actions.includes(values.action)) actionOptions.push({ value: values.action, label: values.action });
  return (
    <form method="get" action="/audit" role="search" aria-label="Filter audit events" className="mb-6 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <Input id="audit-actor" name="actor" label="Actor" placeholder="email, token or job" defaultValue={values.actor} />
        <Select id="audit-action" name="action" label="Action" options={actionOptions} defaultValue={values.action} />
        <Select
          id="audit-outcome"
          name="outcome"
          label="Outcome"
          defaultValue={values.outcome}
          options={[
            { value: '', label: 'Any outcome' },
            { value: 'ok', label: 'ok' },
            { value: 'denied', label: 'denied' },
            { value: 'error', label: 'error' },
          ]}
        />
        <Input id="audit-from" name="from" type="date" label="From (UTC)" defaultValue={values.from} />
        <Input id="audit-to" name="to" type="date" label="To (UTC, inclusive)" defaultValue={values.to} />
      </div>
      {values.pageSize && <input type="hidden" name="pageSize" value={values.pageSize} />}
      <div className="mt-4 flex gap-2">
        <Button type="submit">Apply filters</Button>
        <Link href="/audit" className={buttonClasses('ghost')}>
          Clear
        </Link>
      </div>
    </form>
  );
}
