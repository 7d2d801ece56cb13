/** The main navigation, in sidebar order. */
export interface NavItem {
  href: string;
  label: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Overview' },
  { href: '/artifacts', label: 'Artifacts' },
  { href: '/flaky', label: 'Flaky tests' },
  { href: '/performance', label: 'Performance' },
  { href: '/soak', label: 'Soak' },
  { href: '/cron', label: 'Cron' },
  { href: '/health', label: 'Health' },
  { href: '/audit', label: 'Audit' },
  { href: '/settings', label: 'Settings' },
];

/** "/" matches only itself; other items also match their sub-pages (/artifacts/roots/1). */
export function isActive(pathname: string, href: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}
