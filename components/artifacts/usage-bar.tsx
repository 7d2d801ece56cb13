import { cn } from '@/components/ui/cn';
import { LEVEL_BAR } from './format';

/**
 * A horizontal bar for "x of y". Decorative (aria-hidden): the figures are always written next to
 * it, so the bar is never the only way to read the value.
 */
export function UsageBar({ pct, level, className }: { pct: number; level: 'ok' | 'warn' | 'critical'; className?: string }) {
  const width = Math.max(0, Math.min(100, pct));
  return (
    <div aria-hidden="true" className={cn('h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800', className)}>
      <div className={cn('h-full rounded-full', LEVEL_BAR[level])} style={{ width: `${width}%` }} />
    </div>
  );
}
