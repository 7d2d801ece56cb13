'use client';
import type { FieldErrors } from '@/components/field-errors';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { MaintenanceRow } from './form-model';

/**
 * Maintenance windows as rows of start/end (UTC, like every time in the app): no late or down
 * while one is open, and a deadline inside one moves to its end.
 */
export function MaintenanceFields({ rows, errors, onChange, newKey, className, legendClassName }: {
  rows: MaintenanceRow[];
  errors: FieldErrors;
  onChange: (rows: MaintenanceRow[]) => void;
  newKey: () => number;
  className?: string;
  legendClassName?: string;
}) {
  const update = (key: number, patch: Partial<MaintenanceRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className={className}>
      <legend className={legendClassName}>Maintenance windows</legend>
      <p className="clear-both text-sm text-zinc-600 dark:text-zinc-400">
        No late or down alert while a window is open; a deadline inside one moves to its end. Times are UTC.
      </p>
      {errors.maintenance && <p className="text-xs font-medium text-red-700 dark:text-red-400">{errors.maintenance}</p>}
      {rows.length > 0 && (
        <ol className="space-y-3" aria-label="Maintenance windows">
          {rows.map((r, i) => (
            <li key={r.key} className="grid items-start gap-3 sm:grid-cols-[1fr_1fr_auto]">
              <Input id={`check-mw-${r.key}-start`} type="datetime-local" label={`Window ${i + 1} start (UTC)`} value={r.start} onChange={(e) => update(r.key, { start: e.currentTarget.value })} />
              <Input id={`check-mw-${r.key}-end`} type="datetime-local" label={`Window ${i + 1} end (UTC)`} value={r.end} onChange={(e) => update(r.key, { end: e.currentTarget.value })} error={errors[`maintenance${i}`]} />
              <Button variant="ghost" size="sm" className="sm:mt-7" onClick={() => onChange(rows.filter((x) => x.key !== r.key))} aria-label={`Remove window ${i + 1}`}>
                Remove
              </Button>
            </li>
          ))}
        </ol>
      )}
      <Button variant="secondary" size="sm" onClick={() => onChange([...rows, { key: newKey(), start: '', end: '' }])}>
        Add a window
      </Button>
    </fieldset>
  );
}
