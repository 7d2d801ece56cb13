/**
 * The create/edit form's model: what the fields hold (strings, as typed), how they become a
 * CheckInput (durations in human units through the engine's parseDuration), and how the action's
 * field issues (`schedule.periodSeconds`, `maintenance[1].end`) land next to the right field.
 * Pure, so the browser checks as you type with the same rules the page shows.
 */
import type { FieldErrors } from '@/components/field-errors';
import type { CheckType, Schedule } from '@/lib/engine/cron/types';
import { compactDuration, parseDuration, UnitParseError } from '@/lib/engine/units';
import type { CheckDetail, CheckInput } from '@/lib/services/cron/dto';

export interface MaintenanceRow {
  key: number;
  /** datetime-local values, read as UTC (the app shows every time in UTC). */
  start: string;
  end: string;
}

export interface CheckFormValues {
  name: string;
  type: CheckType;
  slug: string;
  pingKeyId: string;
  tags: string;
  scheduleKind: Schedule['kind'];
  period: string;
  grace: string;
  expression: string;
  timezone: string;
  maxRuntime: string;
  minRuntime: string;
  failureThreshold: string;
  maintenance: MaintenanceRow[];
  artifactRootId: string;
  artifactPath: string;
  maxAge: string;
}

/** Field keys of the form (ids are `check-<key>`), with the label a message is phrased with. */
export const FIELD_LABEL: Record<string, string> = {
  name: 'Name', type: 'Type', slug: 'Slug', pingKeyId: 'Ping key', tags: 'Tags', scheduleKind: 'Schedule', period: 'Period', grace: 'Grace',
  expression: 'Cron expression', timezone: 'Time zone', maxRuntime: 'Maximum runtime', minRuntime: 'Minimum runtime',
  failureThreshold: 'Failure threshold', maintenance: 'Maintenance windows', artifactRootId: 'Artifact root', artifactPath: 'Artifact path', maxAge: 'Maximum age',
};

const secs = (s: number | null | undefined) => (s === null || s === undefined ? '' : compactDuration(s * 1000));
/** An ISO time as a datetime-local value in UTC ("2025-03-30T05:15"). */
export const toLocalInput = (iso: string) => new Date(iso).toISOString().slice(0, 16);
/** A datetime-local value read as UTC, or null when it is not one. */
export function fromLocalInput(v: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return null;
  const d = new Date(`${v.length === 16 ? `${v}:00` : v}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** What the edit form needs of a check (not its ping log: the form is a client component). */
export type CheckFormSource = Pick<CheckDetail, 'id' | 'name' | 'type' | 'slug' | 'pingKeyName' | 'tags' | 'schedule' | 'maxRuntimeSeconds' | 'minRuntimeSeconds' | 'failureThreshold' | 'maintenance' | 'artifactRootId' | 'artifactPath' | 'maxAgeSeconds'>;

export function formSource(c: CheckDetail): CheckFormSource {
  const { id, name, type, slug, pingKeyName, tags, schedule, maxRuntimeSeconds, minRuntimeSeconds, failureThreshold, maintenance, artifactRootId, artifactPath, maxAgeSeconds } = c;
  return { id, name, type, slug, pingKeyName, tags, schedule, maxRuntimeSeconds, minRuntimeSeconds, failureThreshold, maintenance, artifactRootId, artifactPath, maxAgeSeconds };
}

export function initialValues(c?: CheckFormSource | null): CheckFormValues {
  const s = c?.schedule;
  return {
    name: c?.name ?? '',
    type: c?.type ?? 'ping',
    slug: c?.slug ?? '',
    pingKeyId: '',
    tags: c?.tags.join(' ') ?? '',
    scheduleKind: s?.kind ?? 'period',
    period: s?.kind === 'period' ? secs(s.periodSeconds) : '1d',
    grace: s ? secs(s.graceSeconds) : '1h',
    expression: s?.kind === 'cron' ? s.expression : '0 3 * * *',
    timezone: s?.kind === 'cron' ? s.timezone : 'UTC',
    maxRuntime: secs(c?.maxRuntimeSeconds),
    minRuntime: secs(c?.minRuntimeSeconds),
    failureThreshold: String(c?.failureThreshold ?? 1),
    maintenance: (c?.maintenance ?? []).map((m, i) => ({ key: i, start: toLocalInput(m.start), end: toLocalInput(m.end) })),
    artifactRootId: c?.artifactRootId ?? '',
    artifactPath: c?.artifactPath ?? '',
    maxAge: secs(c?.maxAgeSeconds),
  };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function duration(text: string, label: string, { optional = false, min = 1 } = {}): Parsed<number | null> {
  const t = text.trim();
  if (!t) return optional ? { ok: true, value: null } : { ok: false, message: `${label} is required (e.g. 5m, 1h, 1d).` };
  try {
    const s = Math.round(parseDuration(t, label) / 1000);
    if (s < min) return { ok: false, message: `${label} must be at least ${min === 1 ? '1 second' : compactDuration(min * 1000)}.` };
    return { ok: true, value: s };
  } catch (e) {
    return { ok: false, message: e instanceof UnitParseError ? `${label}: ${e.detail}.` : `${label} is not a duration.` };
  }
}

/** The schedule the fields describe, or the field errors that stop it (for the live preview too). */
export function scheduleOf(v: CheckFormValues): { schedule: Schedule | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const grace = duration(v.grace, 'Grace', { min: 0 });
  if (!grace.ok) errors.grace = grace.message;
  if (v.scheduleKind === 'period') {
    const period = duration(v.period, 'Period', { min: 60 });
    if (!period.ok) errors.period = period.message;
    if (!period.ok || !grace.ok) return { schedule: null, errors };
    return { schedule: { kind: 'period', periodSeconds: period.value!, graceSeconds: grace.value! }, errors };
  }
  if (!v.expression.trim()) errors.expression = 'Cron expression is required (e.g. 15 5 * * *).';
  if (!v.timezone) errors.timezone = 'Time zone is required.';
  if (Object.keys(errors).length || !grace.ok) return { schedule: null, errors };
  return { schedule: { kind: 'cron', expression: v.expression.trim().replace(/\s+/g, ' '), timezone: v.timezone, graceSeconds: grace.value! }, errors };
}

/**
 * A freshness check is judged by its artifact's age alone, so the form hides the ping-only
 * fields; the schema still wants a schedule, so one that does not parse is sent as the default.
 */
function forType(v: CheckFormValues): CheckFormValues {
  if (v.type === 'ping') return v;
  const d = initialValues();
  const kept = scheduleOf(v).schedule ? v : { ...v, scheduleKind: d.scheduleKind, period: d.period, grace: d.grace };
  const threshold = Number(v.failureThreshold.trim());
  return { ...kept, slug: '', pingKeyId: '', maxRuntime: '', minRuntime: '', failureThreshold: Number.isInteger(threshold) && threshold >= 1 && threshold <= 100 ? v.failureThreshold : '1' };
}

/** The action's input from the fields, or the errors to show first (nothing is sent then). */
export function toInput(typed: CheckFormValues): { input: CheckInput | null; errors: FieldErrors } {
  const v = forType(typed);
  const { schedule, errors } = scheduleOf(v);
  const maxRuntime = duration(v.maxRuntime, 'Maximum runtime', { optional: true });
  if (!maxRuntime.ok) errors.maxRuntime = maxRuntime.message;
  const minRuntime = duration(v.minRuntime, 'Minimum runtime', { optional: true });
  if (!minRuntime.ok) errors.minRuntime = minRuntime.message;
  const threshold = Number(v.failureThreshold.trim());
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 100) errors.failureThreshold = 'Failure threshold must be a whole number from 1 to 100.';
  if (!v.name.trim()) errors.name = 'Name is required.';
  if (v.slug.trim() && !v.pingKeyId) errors.pingKeyId = 'Ping key is required with a slug (URLs are /ping/<ping-key>/<slug>).';
  const maintenance: { start: string; end: string }[] = [];
  v.maintenance.forEach((m, i) => {
    const start = fromLocalInput(m.start);
    const end = fromLocalInput(m.end);
    if (!start || !end) errors[`maintenance${i}`] = 'Give both a start and an end.';
    else if (end <= start) errors[`maintenance${i}`] = 'The end must be after the start.';
    else maintenance.push({ start: start.toISOString(), end: end.toISOString() });
  });
  let maxAge: Parsed<number | null> = { ok: true, value: null };
  if (v.type === 'freshness') {
    maxAge = duration(v.maxAge, 'Maximum age');
    if (!maxAge.ok) errors.maxAge = maxAge.message;
    if (!v.artifactPath.trim()) errors.artifactPath = 'Artifact path is required for a freshness check.';
  }
  if (Object.keys(errors).length || !schedule || !maxRuntime.ok || !minRuntime.ok || !maxAge.ok) return { input: null, errors };
  const tags = [...new Set(v.tags.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean))];
  return {
    input: {
      name: v.name.trim(),
      type: v.type,
      slug: v.slug.trim() || null,
      pingKeyId: v.pingKeyId || null,
      tags,
      schedule,
      maxRuntimeSeconds: maxRuntime.value,
      minRuntimeSeconds: minRuntime.value,
      failureThreshold: threshold,
      maintenance,
      artifactRootId: v.type === 'freshness' ? v.artifactRootId || null : null,
      artifactPath: v.type === 'freshness' ? v.artifactPath.trim() : null,
      maxAgeSeconds: v.type === 'freshness' ? maxAge.value : null,
    },
    errors,
  };
}

const SERVER_FIELD: Record<string, string> = {
  'schedule.periodSeconds': 'period', 'schedule.graceSeconds': 'grace', 'schedule.expression': 'expression', 'schedule.timezone': 'timezone',
  'schedule.kind': 'scheduleKind', schedule: 'scheduleKind', maxRuntimeSeconds: 'maxRuntime', minRuntimeSeconds: 'minRuntime', maxAgeSeconds: 'maxAge',
};

/**
 * "is required" reads after the field's label ("Name is required."), a bare phrase after it with
 * a colon ("Name: already used by another check."); a message of its own stands alone.
 */
function sentence(label: string, message: string): string {
  const text = /^(is|are|must|should|has|have)\b/.test(message) ? `${label} ${message}` : /^[a-z]/.test(message) ? `${label}: ${message}` : message;
  const withStop = /[.!?]$/.test(text) ? text : `${text}.`;
  return withStop.charAt(0).toUpperCase() + withStop.slice(1);
}

/**
 * The action's issues by form field. `check.` (the update action's wrapper) is dropped;
 * `maintenance[2].end` lands on row 2; anything the form has no field for is returned as `rest`.
 */
export function serverErrors(details: readonly { field: string; message: string }[] | undefined): { fields: FieldErrors; rest: string[] } {
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const d of details ?? []) {
    const path = d.field.replace(/^check\./, '');
    const row = /^maintenance\[(\d+)\](?:\.(start|end))?/.exec(path);
    const key = row ? `maintenance${row[1]}` : SERVER_FIELD[path] ?? SERVER_FIELD[path.split('.')[0] ?? ''] ?? path.replace(/\[\d+\].*$/, '').split('.')[0] ?? path;
    const label = row ? `Window ${Number(row[1]) + 1}${row[2] ? ` ${row[2]}` : ''}` : FIELD_LABEL[key];
    if (label) fields[key] ??= sentence(label, d.message);
    else rest.push(`${d.field}: ${d.message}`);
  }
  return { fields, rest };
}
