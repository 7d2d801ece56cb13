/** The artifacts pages' history links. */
import { pageOf, type SearchParams } from '@/components/search-params';

export { pageOf, type SearchParams };

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
