'use client';
import { Input } from '@/components/ui/input';
import { Select, type SelectOption } from '@/components/ui/select';

export interface FilterValues {
  q: string;
  kind: string;
  ruleId: string;
  status: string;
  /** Kept files: the reason without its detail, e.g. "newest 100 of the rule". */
  reason: string;
}

/** A kept file's (rule, reason) pair, as the plan's reason groups list them. */
export interface ReasonOption { ruleId: string; reason: string; count: number }

const KINDS: SelectOption[] = [
  { value: 'actions', label: 'All actions' },
  { value: 'delete', label: 'Delete' },
  { value: 'compress', label: 'Compress' },
];
const STATUSES: SelectOption[] = ['', 'pending', 'done', 'skipped', 'failed'].map((s) => ({ value: s, label: s || 'Any status' }));

/** Search and filters above an entries table; `prefix` keeps ids unique when two tables share a page. */
export function EntriesFilters({ prefix, values, ruleIds, reasons, keep, onChange }: {
  prefix: string; values: FilterValues; ruleIds: string[]; reasons: ReasonOption[]; keep: boolean; onChange: (patch: Partial<FilterValues>) => void;
}) {
  if (keep) {
    // One choice per (reason, rule): "protected: kept for the audit · protect", "within TTL 7d · logs".
    const options: SelectOption[] = [{ value: '', label: 'Any reason' }, ...reasons.map((r, i) => ({ value: String(i), label: `${r.reason} · ${r.ruleId} (${r.count.toLocaleString('en-US')})` }))];
    const selected = reasons.findIndex((r) => r.reason === values.reason && r.ruleId === values.ruleId);
    return (
      <div role="search" aria-label="Filter kept files" className="mb-3 grid gap-3 sm:grid-cols-2">
        <Input id={`${prefix}-q`} type="search" label="Path contains" value={values.q} onChange={(e) => onChange({ q: e.target.value })} placeholder="e.g. snapshots/" autoComplete="off" />
        <Select id={`${prefix}-reason`} label="Why kept" options={options} value={selected < 0 ? '' : String(selected)} onChange={(e) => {
          const r = reasons[Number(e.target.value)];
          onChange(e.target.value === '' || !r ? { reason: '', ruleId: '' } : { reason: r.reason, ruleId: r.ruleId });
        }} />
      </div>
    );
  }
  const rules: SelectOption[] = [{ value: '', label: 'Any rule' }, ...ruleIds.map((r) => ({ value: r, label: r }))];
  return (
    <div role="search" aria-label="Filter actions" className="mb-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <Input id={`${prefix}-q`} type="search" label="Path contains" value={values.q} onChange={(e) => onChange({ q: e.target.value })} placeholder="e.g. snapshots/" autoComplete="off" />
      <Select id={`${prefix}-kind`} label="Action" options={KINDS} value={values.kind} onChange={(e) => onChange({ kind: e.target.value })} />
      <Select id={`${prefix}-rule`} label="Rule" options={rules} value={values.ruleId} onChange={(e) => onChange({ ruleId: e.target.value })} />
      <Select id={`${prefix}-status`} label="Status" options={STATUSES} value={values.status} onChange={(e) => onChange({ status: e.target.value })} />
    </div>
  );
}
