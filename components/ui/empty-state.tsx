import type { ReactNode } from 'react';
import { cn } from './cn';

/** What to show instead of an empty list: what is missing and what to do next. */
export function EmptyState({ title, children, action, className }: { title: string; children?: ReactNode; action?: ReactNode; className?: string }) {
  return (
    <div className={cn('rounded-lg border border-dashed border-zinc-300 px-6 py-8 text-center dark:border-zinc-700', className)}>
      <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{title}</p>
      {children && <div className="mx-auto mt-1 max-w-prose text-sm text-zinc-600 dark:text-zinc-400">{children}</div>}
      {action && <div className="mt-4 flex justify-center">{action}</div>}
    </div>
  );
}
