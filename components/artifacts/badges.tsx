import { Badge } from '@/components/ui/badge';
import { PLAN_STATUS_TONE, ROOT_STATE } from './format';

export function RootStateBadge({ state }: { state: string }) {
  const s = ROOT_STATE[state] ?? { label: state, tone: 'neutral' as const };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

export function PlanStatusBadge({ status }: { status: string }) {
  return <Badge tone={PLAN_STATUS_TONE[status] ?? 'neutral'}>{status}</Badge>;
}
