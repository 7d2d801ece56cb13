'use client';
import { useMemo, useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { updateRootAction } from '@/lib/actions/retention';
import { presetPolicy, PRESETS, serializePolicy, type PolicyDocument } from '@/lib/engine/retention';
import { draftFromDoc, emptyProtect, emptyRule, errorMap, fieldPaths, inputFromDraft, validateDraft, type ErrorMap, type PolicyDraft } from './policy-draft';
import { PRESET_OPTIONS } from './preset-options';
import { ProtectFields } from './protect-fields';
import { RuleFields } from './rule-fields';

const CAP_ACTIONS = [
  { value: 'warn', label: 'Warn only' },
  { value: 'evict-oldest', label: 'Evict oldest files until under the cap' },
];

/** Edits a root's policy; parsePolicy runs on every keystroke and each error sits next to its field. */
export function PolicyEditor({ rootId, policy }: { rootId: string; policy: PolicyDocument }) {
  const [draft, setDraft] = useState(() => draftFromDoc(policy));
  const [presetId, setPresetId] = useState<string | null>(null);
  const [savedJson, setSavedJson] = useState(() => JSON.stringify(inputFromDraft(draftFromDoc(policy))));
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});
  const [message, setMessage] = useState<{ tone: 'success' | 'error' | 'info'; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const { input, errors } = useMemo(() => validateDraft(draft), [draft]);
  const errs: ErrorMap = { ...serverErrors, ...errorMap(errors) };
  const shown = fieldPaths(draft);
  const general = Object.entries(errs).filter(([path]) => !shown.has(path));
  const problems = errors.length + Object.keys(serverErrors).length;
  const dirty = presetId !== null || JSON.stringify(input) !== savedJson;

  function edit(change: (d: PolicyDraft) => PolicyDraft) {
    setDraft(change);
    setPresetId(null);
    setServerErrors({});
    setMessage(null);
  }
  const patchAt = <T,>(list: T[], i: number, patch: Partial<T>) => list.map((x, j) => (j === i ? { ...x, ...patch } : x));

  function pickPreset(id: string) {
    const preset = PRESETS.find((p) => p.id === id);
    if (!preset) return;
    setDraft(draftFromDoc(serializePolicy(presetPolicy(id))));
    setPresetId(id);
    setServerErrors({});
    setMessage({ tone: 'info', text: `Filled in from the ${preset.name} preset. Save to apply it.` });
  }

  function save() {
    setMessage(null);
    startTransition(async () => {
      const res = await updateRootAction(presetId ? { rootId, presetId } : { rootId, policy: input });
      if (res.ok) {
        setSavedJson(JSON.stringify(input));
        setPresetId(null);
        setMessage({ tone: 'success', text: `Saved as policy version ${res.data.policyVersion}. Draft and approved plans made under the old policy are invalidated; preview again.` });
        return;
      }
      const fe: ErrorMap = {};
      for (const d of res.error.details ?? []) fe[d.field.replace(/^policy\.?/, '') || 'policy'] = d.message;
      setServerErrors(fe);
      setMessage({ tone: 'error', text: res.error.message });
    });
  }

  return (
    <form noValidate onSubmit={(e) => { e.preventDefault(); save(); }} aria-labelledby="policy-title" className="space-y-5">
      <Select id="policy-preset" label="Start from a preset" value="" onChange={(e) => pickPreset(e.target.value)} options={[{ value: '', label: 'Choose a preset…' }, ...PRESET_OPTIONS]} hint="Replaces the rules below; nothing changes until you save." fieldClassName="max-w-md" />
      <section aria-labelledby="rules-title" className="space-y-3">
        <h3 id="rules-title" className="text-sm font-semibold">Rules <span className="font-normal text-zinc-600 dark:text-zinc-400">— the first rule that matches a file decides; durations like 7d or 36h</span></h3>
        {draft.rules.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">No rules: nothing is deleted or compressed except by the size cap.</p>}
        {draft.rules.map((r, i) => (
          <RuleFields key={r.key} rule={r} index={i} count={draft.rules.length} errors={errs}
            onChange={(patch) => edit((d) => ({ ...d, rules: patchAt(d.rules, i, patch) }))}
            onRemove={() => edit((d) => ({ ...d, rules: d.rules.filter((_, j) => j !== i) }))}
            onMove={(to) => edit((d) => { const rules = [...d.rules]; const [moved] = rules.splice(i, 1); if (moved) rules.splice(to, 0, moved); return { ...d, rules }; })} />
        ))}
        <Button size="sm" variant="secondary" onClick={() => edit((d) => ({ ...d, rules: [...d.rules, emptyRule()] }))}>Add rule</Button>
      </section>
      <section aria-labelledby="protect-title" className="space-y-3">
        <h3 id="protect-title" className="text-sm font-semibold">Protect <span className="font-normal text-zinc-600 dark:text-zinc-400">— matching files are never deleted, compressed or evicted</span></h3>
        <ul className="space-y-3">
          {draft.protect.map((p, i) => (
            <ProtectFields key={p.key} rule={p} index={i} errors={errs}
              onChange={(patch) => edit((d) => ({ ...d, protect: patchAt(d.protect, i, patch) }))}
              onRemove={() => edit((d) => ({ ...d, protect: d.protect.filter((_, j) => j !== i) }))} />
          ))}
        </ul>
        <Button size="sm" variant="secondary" onClick={() => edit((d) => ({ ...d, protect: [...d.protect, emptyProtect()] }))}>Add protect rule</Button>
      </section>
      <section aria-labelledby="cap-title" className="grid gap-4 sm:grid-cols-2">
        <h3 id="cap-title" className="text-sm font-semibold sm:col-span-2">Size cap</h3>
        <Input id="policy-max-size" label="Maximum size" value={draft.maxSize} onChange={(e) => edit((d) => ({ ...d, maxSize: e.target.value }))} placeholder="900MB" autoComplete="off" hint="e.g. 900MB or 2G; empty for no cap." error={errs.maxSize} />
        <Select id="policy-cap-action" label="Over the cap" value={draft.sizeCapAction} onChange={(e) => edit((d) => ({ ...d, sizeCapAction: e.target.value === 'evict-oldest' ? 'evict-oldest' : 'warn' }))} options={CAP_ACTIONS} error={errs.sizeCapAction} />
      </section>
      {general.length > 0 && (
        <ul className="list-inside list-disc text-sm text-red-700 dark:text-red-400">
          {general.map(([path, msg]) => <li key={path}><span className="font-mono">{path}</span>: {msg}</li>)}
        </ul>
      )}
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" pending={pending} pendingLabel="Saving…" disabled={!dirty || errors.length > 0}>Save policy</Button>
        <p aria-live="polite" className={problems ? 'text-sm font-medium text-red-700 dark:text-red-400' : 'text-sm text-zinc-600 dark:text-zinc-400'}>
          {problems ? `${problems} problem${problems === 1 ? '' : 's'} to fix before saving.` : dirty ? 'Valid. Unsaved changes.' : 'No changes.'}
        </p>
      </div>
    </form>
  );
}
