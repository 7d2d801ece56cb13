import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';

const TABS = [
  { href: '/soak', label: 'Soak runs' },
  { href: '/soak/e2e', label: 'E2E pipelines' },
  { href: '/soak/chaos', label: 'Chaos scenarios' },
] as const;

/** The soak section's three views; `project` is carried along when one is picked. */
export function SoakNav({ current, project }: { current: (typeof TABS)[number]['href']; project?: string | null }) {
  const q = project ? `?project=${encodeURIComponent(project)}` : '';
  return (
    <nav aria-label="Soak views" className="mb-6 flex flex-wrap gap-2">
      {TABS.map((t) => (
        <Link key={t.href} href={`${t.href}${q}`} aria-current={t.href === current ? 'page' : undefined} className={buttonClasses(t.href === current ? 'primary' : 'secondary', 'sm')}>
          {t.label}
        </Link>
      ))}
      {project && (
        <Link href={current} className={buttonClasses('ghost', 'sm')}>
          Project {project} · show all
        </Link>
      )}
    </nav>
  );
}
