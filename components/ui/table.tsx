import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import { cn } from './cn';

/**
 * A data table that scrolls sideways inside its own box on narrow screens. The caption names
 * the table for screen readers (and getByRole('table', { name })); hide it visually if the
 * surrounding heading already says the same.
 *
 * `stack`: when the box is narrower than 48rem (a phone, or a laptop with the sidebar) each row
 * becomes one block, every cell on its own line, labelled by the cell's `data-label` (the column
 * name); see `.table-stack` in globals.css. For tables too wide to scroll usefully (audit, users).
 *
 * The box is `relative` so that visually hidden header text (`sr-only`, absolutely positioned)
 * is clipped by it instead of escaping it and widening the page.
 */
export function Table({ caption, captionHidden = true, children, className, stack = false }: { caption: string; captionHidden?: boolean; children: ReactNode; className?: string; stack?: boolean }) {
  return (
    <div className={cn('relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800', stack && 'table-stack-box', className)}>
      <table className={cn('w-full border-collapse text-left text-sm', stack && 'table-stack')}>
        <caption className={captionHidden ? 'sr-only' : 'px-3 py-2 text-left text-sm text-zinc-600 dark:text-zinc-400'}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">{children}</thead>;
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-zinc-200 bg-white dark:divide-zinc-800 dark:bg-zinc-950">{children}</tbody>;
}

export function TR({ children, className }: { children: ReactNode; className?: string }) {
  return <tr className={cn('align-top', className)}>{children}</tr>;
}

export function TH({ className, scope = 'col', ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope={scope} className={cn('px-3 py-2 font-medium whitespace-nowrap', className)} {...rest} />;
}

export function TD({ className, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn('px-3 py-2', className)} {...rest} />;
}
