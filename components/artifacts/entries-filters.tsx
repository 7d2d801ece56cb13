'use client';
import { Input } from '@/components/ui/input';
import { Select, type SelectOption } from '@/components/ui/select';

export interface FilterValues {
  q: string;
  kind: string;
  ruleId: string;
  status: string;
}

const KINDS: SelectOption[] = [
  { value: 'actions', label: 'All actions' },
  { value: 'delete', label: 'Delete' },
  { value: 'compress', label: 'Compress' },
];
const STATUSES: SelectOption[] = ['', 'pending', 'done', 'skipped', 'failed'].map((s) => ({ value: s, label: s || 'Any status' }));

/** Search and filters above an entries table; `prefix` keeps ids unique when two tables share a page. */
export function EntriesFilters({ prefix, values, ruleIds, keep, onChange }: { prefix: string; values: FilterValues; ruleIds: string[]; keep: boolean; onChange: (patch: Partial<FilterValues>) => void }) {
  const rules: SelectOption[] = [{ value: '', label: keep ? 'Any reason or rule' : 'Any rule' }, ...ruleIds.map((r) => ({ value: r, label: r }))];
  return (
    <div role="search" aria-label={keep ? 'Filter kept files' : 'Filter actions'} className="mb-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <Input id={`${prefix}-q`} type="search" label="Path contains" value={values.q} onChange={(e) => onChange({ q: e.target.value })} placeholder="e.g. snapshots/" autoComplete="off" fieldClassName={keep ? 'lg:col-span-3' : undefined} />
      {!keep && <Select id={`${prefix}-kind`} label="Action" options={KINDS} value={values.kind} onChange={(e) => onChange({ kind: e.target.value })} />}
      <Select id={`${prefix}-rule`} label={keep ? 'Rule or reason' : 'Rule'} options={rules} value={values.ruleId} onChange={(e) => onChange({ ruleId: e.target.value })} />
      {!keep && <Select id={`${prefix}-status`} label="Status" options={STATUSES} value={values.status} onChange={(e) => onChange({ status: e.target.value })} />}
    </div>
  );
}
