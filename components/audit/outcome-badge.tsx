import { Badge, type BadgeTone } from '@/components/ui/badge';

const tones: Record<string, BadgeTone> = { ok: 'green', denied: 'red', error: 'amber' };

/** ok / denied / error. Denied is red: someone tried something their role does not allow. */
export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <Badge tone={tones[outcome] ?? 'neutral'}>{outcome}</Badge>;
}
