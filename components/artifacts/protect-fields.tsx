'use client';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { ProtectDraft } from './policy-draft';
import type { RowControls } from './rule-fields';

/** One protect rule: files it matches are never deleted, compressed or evicted. */
export function ProtectFields({ rule, onChange, index, errors, onRemove }: Omit<RowControls, 'onMove' | 'count'> & { rule: ProtectDraft; onChange: (patch: Partial<ProtectDraft>) => void }) {
  const p = `protect[${index}]`;
  const id = (f: string) => `protect-${rule.key}-${f}`;
  return (
    <li className="grid gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-[1fr_2fr_2fr_auto] sm:items-start dark:border-zinc-800">
      <Input id={id('id')} label="Id" value={rule.id} onChange={(e) => onChange({ id: e.target.value })} placeholder={`protect-${index + 1}`} autoComplete="off" error={errors[`${p}.id`]} />
      <Input id={id('match')} label="Match (glob)" value={rule.match} onChange={(e) => onChange({ match: e.target.value })} placeholder="baselines/**" autoComplete="off" className="font-mono" error={errors[`${p}.match`] ?? errors[p]} />
      <Input id={id('reason')} label="Reason" value={rule.reason} onChange={(e) => onChange({ reason: e.target.value })} placeholder="release evidence" autoComplete="off" error={errors[`${p}.reason`]} />
      <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove protect rule ${index + 1}`} className="text-red-700 sm:mt-7 dark:text-red-400">Remove</Button>
    </li>
  );
}
