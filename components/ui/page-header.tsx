import type { ReactNode } from 'react';

/** The page's single h1, a one-line description and page-level actions. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight [overflow-wrap:anywhere] text-zinc-900 dark:text-zinc-50">{title}</h1>
        {description && <p className="mt-1 max-w-prose text-sm [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400">{description}</p>}
      </div>
      {actions && <div className="flex items-center gap-2">{actions}</div>}
    </header>
  );
}
