/** Next.js page searchParams, and the page numbers pages read from them. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** A page number from ?runs=3: a whole number from 1, else 1 (never an error for a bad link). */
export function pageOf(v: string | string[] | undefined): number {
  const n = Number(Array.isArray(v) ? v[0] : v);
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
}

