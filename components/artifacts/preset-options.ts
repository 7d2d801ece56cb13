import type { SelectOption } from '@/components/ui/select';
import { formatBytes } from '@/lib/engine/units';
import { PRESETS } from '@/lib/engine/retention';

/** "CI Main — keep 100, 7 days, 900 MB" for each built-in preset. */
export const PRESET_OPTIONS: readonly SelectOption[] = PRESETS.map((p) => ({
  value: p.id,
  label: `${p.name} — keep ${p.keepLatest}, ${p.ttlDays} d, ${formatBytes(p.maxSizeMb * 1024 * 1024)}`,
}));

export const MODE_OPTIONS: readonly SelectOption[] = [
  { value: 'approve', label: 'Plan, then wait for approval' },
  { value: 'auto', label: 'Plan and execute automatically' },
];
