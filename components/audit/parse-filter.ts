import { auditFilterSchema, type AuditFilter } from '@/lib/services/audit';

export type SearchParams = Record<string, string | string[] | undefined>;

/** The raw strings the filter form shows back to the user. */
export interface AuditFormValues {
  actor: string;
  action: string;
  outcome: string;
  from: string;
  to: string;
  pageSize: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Query string → filter. An empty form field arrives as `actor=` and means "no filter". A date
 * picker sends a day; `to` is inclusive, so it means the end of that day (UTC). A value the
 * schema rejects is dropped and reported instead of failing the whole page.
 */
export function parseAuditSearch(sp: SearchParams): { filter: AuditFilter; values: AuditFormValues; ignored: string[] } {
  const get = (k: string) => {
    const v = sp[k];
    return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
  };
  const values: AuditFormValues = { actor: get('actor'), action: get('action'), outcome: get('outcome'), from: get('from'), to: get('to'), pageSize: get('pageSize') };
  const input: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...values, page: get('page') })) if (v) input[k] = v;
  if (input.from && DAY.test(input.from)) input.from = `${input.from}T00:00:00.000Z`;
  if (input.to && DAY.test(input.to)) input.to = `${input.to}T23:59:59.999Z`;

  const first = auditFilterSchema.safeParse(input);
  if (first.success) return { filter: first.data, values, ignored: [] };
  const ignored = [...new Set(first.error.issues.map((i) => String(i.path[0] ?? '')))].filter(Boolean);
  for (const k of ignored) delete input[k];
  const second = auditFilterSchema.safeParse(input);
  const filter = second.success ? second.data : auditFilterSchema.parse({});
  for (const k of ignored) if (k in values) values[k as keyof AuditFormValues] = '';
  return { filter, values, ignored };
}

/** The query string for the same filter on another page. */
export function auditHref(values: AuditFormValues, page: number): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) q.set(k, v);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `/audit?${s}` : '/audit';
}
