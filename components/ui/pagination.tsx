import Link from 'next/link';
import { formatNumber } from '@/components/format';
import { buttonClasses } from '@/components/ui/button';

/** "20 of 90 runs · page 1 of 5" with previous / next links (server-side pages, in the URL). */
export function HistoryPagination({ shown, total, page, pageSize, noun, href }: { shown: number; total: number; page: number; pageSize: number; noun: string; href: (page: number) => string }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (p: number | null, label: string, rel: string) =>
    p ? <Link href={href(p)} scroll={false} rel={rel} className={buttonClasses('secondary', 'sm')}>{label}</Link> : <span aria-disabled="true" className={buttonClasses('secondary', 'sm')}>{label}</span>;
  return (
    <nav aria-label={`Pages of ${noun}`} className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-zinc-600 tabular-nums dark:text-zinc-400">
        {formatNumber(shown)} of {formatNumber(total)} {noun}{pages > 1 ? ` · page ${formatNumber(page)} of ${formatNumber(pages)}` : ''}
      </p>
      {pages > 1 && (
        <div className="flex gap-2">
          {link(page > 1 ? page - 1 : null, 'Previous', 'prev')}
          {link(page < pages ? page + 1 : null, 'Next', 'next')}
        </div>
      )}
    </nav>
  );
}
