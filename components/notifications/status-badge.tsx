import { Badge, type BadgeTone } from '@/components/ui/badge';

const TONES: Record<string, BadgeTone> = { delivered: 'green', pending: 'blue', sending: 'blue', failed: 'amber', dead: 'red' };
const LABELS: Record<string, string> = { failed: 'retrying', dead: 'dead' };

/** A delivery's status; "failed" reads as "retrying" (a retry is scheduled). */
export function DeliveryStatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status] ?? 'neutral'}>{LABELS[status] ?? status}</Badge>;
}
