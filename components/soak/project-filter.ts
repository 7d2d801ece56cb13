import type { SearchParams } from '@/components/search-params';
import { PROJECT_KEY_RE } from '@/lib/services/flaky/projects';

/** ?project=KEY when it is a project key; anything else is no filter (never an error for a bad link). */
export function projectFilter(v: SearchParams[string]): string | null {
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s && PROJECT_KEY_RE.test(s) ? s : null;
}
