'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { SignOutButton } from '@/components/auth/sign-out-button';
import { Badge } from '@/components/ui/badge';
import { cn } from '@/components/ui/cn';
import { Logo } from './logo';
import { isActive, NAV_ITEMS } from './nav-items';

export interface ShellUser {
  email: string;
  name: string;
  role: 'viewer' | 'operator' | 'admin';
}

/**
 * Signed-in frame: a fixed sidebar from md up; below md a top bar whose Menu button discloses
 * the same sidebar (one nav in the DOM, so there is never a duplicate set of links).
 */
export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:shadow-lg dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 flex h-14 items-center justify-between border-b border-zinc-200 bg-white/95 px-4 backdrop-blur md:hidden dark:border-zinc-800 dark:bg-zinc-900/95">
        <Link href="/" className="rounded-md">
          <Logo />
        </Link>
        <button
          ref={menuButton}
          type="button"
          className="inline-flex h-9 items-center gap-2 rounded-md border border-zinc-300 px-3 text-sm font-medium dark:border-zinc-700"
          aria-expanded={open}
          aria-controls="app-sidebar"
          onClick={() => setOpen((o) => !o)}
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            {open ? <path d="M5 5l10 10M15 5 5 15" /> : <path d="M3 5h14M3 10h14M3 15h14" />}
          </svg>
          Menu
        </button>
      </header>

      <aside
        id="app-sidebar"
        aria-label="Sidebar"
        className={cn(
          open ? 'flex' : 'hidden',
          'z-20 flex-col border-b border-zinc-200 bg-white md:fixed md:inset-y-0 md:left-0 md:flex md:w-60 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900',
        )}
      >
        <div className="hidden h-14 items-center px-5 md:flex">
          <Link href="/" className="rounded-md">
            <Logo />
          </Link>
        </div>
        <nav aria-label="Main" className="flex-1 overflow-y-auto px-3 py-2">
          <ul className="space-y-0.5">
            {NAV_ITEMS.map((item) => {
              const active = isActive(pathname, item.href);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? 'page' : undefined}
                    onClick={() => setOpen(false)}
                    className={cn(
                      'block rounded-md px-3 py-2 text-sm font-medium',
                      active
                        ? 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50'
                        : 'text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100',
                    )}
                  >
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="border-t border-zinc-200 p-4 dark:border-zinc-800">
          <p className="truncate text-sm font-medium" title={user.email}>
            {user.email}
          </p>
          <p className="mt-1 flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            Role <Badge tone={user.role === 'admin' ? 'blue' : 'neutral'}>{user.role}</Badge>
          </p>
          <SignOutButton className="mt-3" />
        </div>
      </aside>

      <main id="main" tabIndex={-1} className="min-w-0 px-4 py-6 focus:outline-none sm:px-6 md:ml-60 md:px-8 md:py-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </>
  );
}
