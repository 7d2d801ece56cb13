import type { ReactNode } from 'react';
import { cn } from './cn';

export interface CardProps {
  /** Rendered as an h2 and used as the section's accessible name. */
  title?: ReactNode;
  description?: ReactNode;
  /** Controls at the right of the title row (a link, a button). */
  actions?: ReactNode;
  className?: string;
  children?: ReactNode;
  /** Heading id; give one when a page has several cards so each section is named. */
  id?: string;
}

export function Card({ title, description, actions, className, children, id }: CardProps) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className={cn('min-w-0 rounded-lg border border-zinc-200 bg-white p-5 shadow-xs dark:border-zinc-800 dark:bg-zinc-900', className)}
    >
      {(title || actions) && (
        <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            {title && (
              <h2 id={headingId} className="text-base font-semibold [overflow-wrap:anywhere] text-zinc-900 dark:text-zinc-100">
                {title}
              </h2>
            )}
            {description && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p>}
          </div>
          {actions && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

/** A labelled number: the figure is always real data passed by the caller. */
export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div>
      <dt className="text-sm text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums text-zinc-900 dark:text-zinc-100">{value}</dd>
      {hint && <dd className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{hint}</dd>}
    </div>
  );
}
