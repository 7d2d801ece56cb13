'use client';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * Filters that live in the URL (shareable: `?kind=delete&q=logs&page=3`). Reads come from
 * useSearchParams; writes go through Next's router (`push` adds a history entry: filters, pages;
 * `replace` does not: every keystroke of a search). Not the raw History API: a filter chosen
 * while a Back navigation was still being fetched reached the address bar but not the view,
 * because Next then committed the older navigation over it; the router queues them in order.
 */
export function useUrlParams(): [URLSearchParams, (patch: Record<string, string | number | null>, mode?: 'push' | 'replace') => void] {
  const params = useSearchParams();
  const router = useRouter();
  const set = useCallback((patch: Record<string, string | number | null>, mode: 'push' | 'replace' = 'push') => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '' || (k.endsWith('page') && v === 1)) next.delete(k);
      else next.set(k, String(v));
    }
    const qs = next.toString();
    const url = `${window.location.pathname}${qs ? `?${qs}` : ''}${window.location.hash}`;
    if (mode === 'push') router.push(url, { scroll: false });
    else router.replace(url, { scroll: false });
  }, [router]);
  return [new URLSearchParams(params.toString()), set];
}

/** A positive page number from the URL, 1 when absent or not a number. */
export function pageParam(v: string | null): number {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
}
