/** Who is doing something: every service that mutates takes one and writes it to the audit log. */
import os from 'node:os';
import type { Role, TokenScope } from '@/lib/engine/roles';

export type Actor =
  | { type: 'user'; id: string; label: string; role: Role; origin?: string | null }
  | { type: 'token'; id: string; label: string; scopes: TokenScope[]; origin?: string | null; /** Project keys it may touch; empty = all. */ projects?: string[] }
  | { type: 'cli'; id: null; label: string; origin: 'cli' }
  | { type: 'system'; id: null; label: string; origin?: string | null };

export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry for this uid (some containers) */
  }
  return { type: 'cli', id: null, label: `cli:${user}`, origin: 'cli' };
}

export function systemActor(job: string): Actor {
  return { type: 'system', id: null, label: `job:${job}`, origin: `job:${job}` };
}
