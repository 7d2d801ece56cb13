'use client';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { ErrorMap, RuleDraft } from './policy-draft';

export interface RowControls {
  index: number;
  count: number;
  errors: ErrorMap;
  onMove: (to: number) => void;
  onRemove: () => void;
}

/** One retention rule's inputs, each with the parsePolicy error for its path next to it. */
export function RuleFields({ rule, onChange, index, count, errors, onMove, onRemove }: RowControls & { rule: RuleDraft; onChange: (patch: Partial<RuleDraft>) => void }) {
  const p = `rules[${index}]`;
  const id = (f: string) => `rule-${rule.key}-${f}`;
  const name = `rule ${index + 1}${rule.id ? ` (${rule.id})` : ''}`;
  return (
    <fieldset className="rounded-md border border-zinc-200 p-4 dark:border-zinc-800" aria-describedby={errors[p] ? id('error') : undefined}>
      <legend className="px-1 text-sm font-medium">Rule {index + 1}</legend>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-[1fr_2fr_1fr_1fr_1fr]">
        <Input id={id('id')} label="Id" value={rule.id} onChange={(e) => onChange({ id: e.target.value })} placeholder={`rule-${index + 1}`} autoComplete="off" fieldClassName="col-span-2 sm:col-span-1" error={errors[`${p}.id`]} />
        <Input id={id('match')} label="Match (glob)" value={rule.match} onChange={(e) => onChange({ match: e.target.value })} placeholder="**/*.log" autoComplete="off" className="font-mono" fieldClassName="col-span-2 lg:col-span-1" error={errors[`${p}.match`]} />
        <Input id={id('ttl')} label="TTL" value={rule.ttl} onChange={(e) => onChange({ ttl: e.target.value })} placeholder="none" autoComplete="off" error={errors[`${p}.ttl`]} />
        <Input id={id('keep')} label="Keep latest" inputMode="numeric" value={rule.keepLatest} onChange={(e) => onChange({ keepLatest: e.target.value })} placeholder="none" autoComplete="off" error={errors[`${p}.keepLatest`]} />
        <Input id={id('compress')} label="Compress after" value={rule.compressAfter} onChange={(e) => onChange({ compressAfter: e.target.value })} placeholder="none" autoComplete="off" error={errors[`${p}.compressAfter`]} />
      </div>
      {errors[p] && (
        <p id={id('error')} className="mt-2 text-xs font-medium text-red-700 dark:text-red-400">
          {errors[p]}
        </p>
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button size="sm" variant="ghost" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={`Move ${name} up`}>Move up</Button>
        <Button size="sm" variant="ghost" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={`Move ${name} down`}>Move down</Button>
        <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove ${name}`} className="text-red-700 dark:text-red-400">Remove</Button>
      </div>
    </fieldset>
  );
}
