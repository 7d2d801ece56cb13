import Link from 'next/link';
import { connection } from 'next/server';
import { buttonClasses } from '@/components/ui/button';

// Rendered per request, not prerendered: a static page's scripts carry no CSP nonce and would be
// blocked (proxy.ts, lib/auth/security-headers.ts).
export default async function NotFound() {
  await connection();
  return (
    <main id="main" className="flex min-h-dvh flex-col items-center justify-center gap-4 px-4 text-center">
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <Link href="/" className={buttonClasses('secondary')}>
        Go to the overview
      </Link>
    </main>
  );
}
