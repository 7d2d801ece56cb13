import type { Actor } from '@/lib/services/actor';

/** The signed-in user as the services' actor (pages read with it; actions build their own). */
export function userActor(u: { id: string; email: string; role: Extract<Actor, { type: 'user' }>['role'] }): Actor {
  return { type: 'user', id: u.id, label: u.email, role: u.role };
}
