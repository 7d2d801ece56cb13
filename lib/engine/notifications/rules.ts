/** Which channels an event goes to. Pure: the service loads rules and channels, this decides. */
import { kindMatches } from './kinds';

export interface RuleRow {
  channelId: string;
  /** null = every project (and events without a project). */
  projectKey: string | null;
  /** Exact kinds or `<domain>.*` patterns. */
  kinds: readonly string[];
}

export interface ChannelState {
  id: string;
  enabled: boolean;
}

/**
 * The ids of the enabled channels that at least one rule routes `event` to, each once, sorted.
 * A rule with a project matches only events of that project (never project-less events); a rule
 * without one matches every event of its kinds. A disabled or unknown channel gets nothing.
 */
export function matchChannels(rules: readonly RuleRow[], channels: readonly ChannelState[], event: { kind: string; project: string | null }): string[] {
  const enabled = new Set(channels.filter((c) => c.enabled).map((c) => c.id));
  const out = new Set<string>();
  for (const r of rules) {
    if (!enabled.has(r.channelId)) continue;
    if (r.projectKey !== null && r.projectKey !== event.project) continue;
    if (r.kinds.some((k) => kindMatches(k, event.kind))) out.add(r.channelId);
  }
  return [...out].sort();
}
