'use client';
import { useState, useTransition, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { createRuleAction, deleteRuleAction } from '@/lib/actions/notifications';
import { EVENT_KINDS, ROUTABLE_KINDS } from '@/lib/engine/notifications/kinds';
import type { RuleDto } from '@/lib/services/notifications/channel-config';

const kindLabel = (k: string) => (k in EVENT_KINDS ? EVENT_KINDS[k as keyof typeof EVENT_KINDS].label : k.endsWith('.*') ? `every ${k.slice(0, -2)} event` : k);

/** The channel's rules (which events of which project reach it), with add and remove for admins. */
export function RulesEditor({ channelId, channelName, rules, projects, canEdit }: { channelId: string; channelName: string; rules: RuleDto[]; projects: string[]; canEdit: boolean }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const idp = `rule-${channelId}`;

  function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const kinds = f.getAll('kinds').map(String);
    setError(null);
    startTransition(async () => {
      const r = await createRuleAction({ channelId, projectKey: String(f.get('projectKey') ?? '') || null, kinds });
      if (!r.ok) setError(r.error.message);
    });
  }
  const remove = (ruleId: string) =>
    startTransition(async () => {
      const r = await deleteRuleAction({ ruleId });
      if (!r.ok) setError(r.error.message);
    });

  return (
    <div className="space-y-3">
      <h4 className="text-sm font-semibold">Rules</h4>
      {rules.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No rules: this channel receives only test messages. Add one below.</p>
      ) : (
        <ul className="space-y-2" aria-label={`Rules of ${channelName}`}>
          {rules.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium [overflow-wrap:anywhere]">{r.projectKey ?? 'Every project'}:</span>
              {r.kinds.map((k) => (
                <Badge key={k}>{kindLabel(k)}</Badge>
              ))}
              {canEdit && (
                <Button size="sm" variant="ghost" onClick={() => remove(r.id)} disabled={pending} aria-label={`Remove rule for ${r.projectKey ?? 'every project'}`}>
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form onSubmit={add} noValidate aria-label={`Add rule to ${channelName}`} className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          <Select id={`${idp}-project`} name="projectKey" label="Project" options={[{ value: '', label: 'Every project' }, ...projects.map((p) => ({ value: p, label: p }))]} />
          <fieldset>
            <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Events</legend>
            <div className="mt-2 grid gap-1.5 sm:grid-cols-2">
              {ROUTABLE_KINDS.map((k) => (
                <label key={k} className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="kinds" value={k} defaultChecked={k === 'flaky.quarantined'} className="mt-0.5 size-4 accent-sky-600" />
                  <span>
                    {EVENT_KINDS[k].label} <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{k}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          {error && <Alert>{error}</Alert>}
          <Button type="submit" size="sm" pending={pending} pendingLabel="Adding…">
            Add rule
          </Button>
        </form>
      )}
    </div>
  );
}
