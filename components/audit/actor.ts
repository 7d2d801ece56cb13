/**
 * How an audit row's actor is described under its label: the kind of actor and where the request
 * came from, each said once. The CLI's origin is "cli" and a job's origin is its own label, so
 * "cli · cli" and "system · job:x" (under "job:x") would only repeat what is already shown.
 */

/**
 * A client address for display. "::ffff:127.0.0.1" is an IPv4 client seen through an IPv6
 * socket (RFC 4291 §2.5.5.2): shown as the IPv4 address people know. Anything else as stored.
 */
export function displayAddress(origin: string): string {
  const m = /^::ffff:((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})$/i.exec(origin.trim());
  return m?.[1] ?? origin;
}

export function actorDetail(row: { actorType: string; actorLabel: string; origin: string | null }): string {
  const origin = row.origin?.trim();
  if (!origin || origin === row.actorType || origin === row.actorLabel) return row.actorType;
  return `${row.actorType} · ${displayAddress(origin)}`;
}
