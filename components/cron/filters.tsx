import Link from 'next/link';
import { formatNumber } from '@/components/format';
import { buttonClasses } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { CHECK_STATES, type CheckState } from '@/lib/engine/cron/types';
import { STATE_STYLE } from './format';

/** One chip per state with its count (the services' counts), and "All"; the filter lives in the URL. */
export function StateChips({ counts, total, current, href }: { counts: Record<CheckState, number>; total: number; current: CheckState | undefined; href: (s: CheckState | undefined) => string }) {
  const chip = (s: CheckState | undefined, label: string, n: number) => (
    <Link key={label} href={href(s)} scroll={false} aria-current={current === s ? 'true' : undefined} className={cn(buttonClasses(current === s ? 'primary' : 'secondary', 'sm'), 'tabular-nums')}>
      {s && <span aria-hidden="true" className={cn('size-2 rounded-full', STATE_STYLE[s].dot)} />}
      {label} <span className={current === s ? 'opacity-80' : 'text-zinc-500 dark:text-zinc-400'}>{formatNumber(n)}</span>
    </Link>
  );
  return (
    <nav aria-label="Filter by state" className="mb-3 flex flex-wrap gap-2">
      {chip(undefined, 'All', total)}
      {CHECK_STATES.map((s) => chip(s, STATE_STYLE[s].label, counts[s] ?? 0))}
    </nav>
  );
}

/** Search and tag as a plain GET form (works without script); keeps the state filter. */
export function CheckFilters({ tags, tag, q, state }: { tags: string[]; tag: string | undefined; q: string | undefined; state: CheckState | undefined }) {
  const options = [{ value: '', label: 'all tags' }, ...(tag && !tags.includes(tag) ? [tag] : []).concat(tags).map((t) => ({ value: t, label: t }))];
  return (
    <form method="get" action="/cron" role="search" aria-label="Filter the checks" className="mb-4 flex flex-wrap items-end gap-3">
      {state && <input type="hidden" name="state" value={state} />}
      <Input id="cron-q" name="q" type="search" label="Search" defaultValue={q ?? ''} placeholder="name or slug" fieldClassName="w-64 max-w-full" />
      <Select id="cron-tag" name="tag" label="Tag" defaultValue={tag ?? ''} options={options} fieldClassName="w-48 max-w-full" />
      <button type="submit" className={buttonClasses('secondary', 'md')}>Apply</button>
    </form>
  );
}
