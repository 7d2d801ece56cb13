import { cn } from '@/components/ui/cn';
import type { CheckState } from '@/lib/engine/cron/types';
import { STATE_STYLE } from './format';

/** A check's state as a badge: its own colour (six distinct ones) and the state in words. */
export function StateBadge({ state, className }: { state: CheckState; className?: string }) {
  const s = STATE_STYLE[state];
  return (
    <span data-state={state} className={cn('inline-flex items-center gap-1.5 rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset', s.className, className)}>
      <span aria-hidden="true" className={cn('size-1.5 rounded-full', s.dot)} />
      {s.label}
    </span>
  );
}
