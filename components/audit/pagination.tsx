import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { formatNumber } from '@/components/format';

/** Prev / next links; at either end the control is shown but inert (aria-disabled, no href). */
export function Pagination({ page, pageCount, total, href }: { page: number; pageCount: number; total: number; href: (page: number) => string }) {
  const prev = page > 1 ? Math.min(page - 1, pageCount) : null;
  const next = page < pageCount ? page + 1 : null;
  return (
    <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-zinc-600 dark:text-zinc-400">
        Page {formatNumber(page)} of {formatNumber(pageCount)} · {formatNumber(total)} {total === 1 ? 'event' : 'events'}
      </p>
      <div className="flex gap-2">
        {prev ? (
          <Link href={href(prev)} className={buttonClasses('secondary', 'sm')} rel="prev">
            Previous
          </Link>
        ) : (
          <span className={buttonClasses('secondary', 'sm')} aria-disabled="true">
            Previous
          </span>
        )}
        {next ? (
          <Link href={href(next)} className={buttonClasses('secondary', 'sm')} rel="next">
            Next
          </Link>
        ) : (
          <span className={buttonClasses('secondary', 'sm')} aria-disabled="true">
            Next
          </span>
        )}
      </div>
    </nav>
  );
}
