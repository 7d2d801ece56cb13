import Link from 'next/link';
import { formatDate } from '@/components/format';
import { EmptyState } from '@/components/ui/empty-state';

type Named = { id: string; name: string; classname: string };

/** Broken tests (failing every recent run on a branch): listed apart, never auto-quarantined. */
export function BrokenList({ project, rows }: { project: string; rows: (Named & { brokenSince: string | null })[] }) {
  if (!rows.length) return <EmptyState title="No broken tests">A test that fails on every one of its last runs on a branch is listed here instead of being quarantined.</EmptyState>;
  return (
    <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
      {rows.map((r) => (
        <li key={r.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
          <Link href={`/flaky/${project}/tests/${r.id}`} className="min-w-0 break-words font-medium text-sky-700 hover:underline dark:text-sky-400">{r.name}</Link>
          <span className="text-xs text-zinc-500 tabular-nums">since {formatDate(r.brokenSince)}</span>
        </li>
      ))}
    </ul>
  );
}

export function RecoveredList({ project, rows }: { project: string; rows: { at: string; kind: string; reason: string; by: string; test: Named }[] }) {
  if (!rows.length) return <EmptyState title="Nothing recovered in the last 14 days">Tests that pass again after being broken, or are unquarantined, show here.</EmptyState>;
  return (
    <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
      {rows.map((r, i) => (
        <li key={`${r.test.id}-${i}`} className="py-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <Link href={`/flaky/${project}/tests/${r.test.id}`} className="min-w-0 break-words font-medium text-sky-700 hover:underline dark:text-sky-400">{r.test.name}</Link>
            <span className="text-xs text-zinc-500 tabular-nums">{formatDate(r.at)}</span>
          </div>
          <p className="text-xs break-words text-zinc-600 dark:text-zinc-400">{r.kind === 'recovered' ? 'Recovered' : 'Unquarantined'} · {r.reason} · by {r.by}</p>
        </li>
      ))}
    </ul>
  );
}
