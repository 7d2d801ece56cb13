/** Next.js page searchParams, and the one number the artifacts pages read from them. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** A page number from ?runs=3: a whole number from 1, else 1 (never an error for a bad link). */
export function pageOf(v: string | string[] | undefined): number {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
}

/** `base?runs=2&reports=3#history` with `key` set to `page` and the other history page kept. */
export function historyHref(base: string, sp: SearchParams, key: 'runs' | 'reports', page: number): string {
  const q = new URLSearchParams();
  for (const k of ['runs', 'reports'] as const) {
    const v = k === key ? page : pageOf(sp[k]);
    if (v > 1) q.set(k, String(v));
  }
  const qs = q.toString();
  return `${base}${qs ? `?${qs}` : ''}#history`;
}
