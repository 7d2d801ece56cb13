'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { FlakyPolicy } from '@/lib/engine/flaky';
import { updateProjectSettingsAction } from '@/lib/actions/flaky';

const num = (d: FormData, k: string) => Number(String(d.get(k) ?? '').trim());

/** Admins tune the project's policy and set its CODEOWNERS (the ticket owner of auto-quarantines). */
export function ProjectSettingsForm({ projectKey, policy, codeowners }: { projectKey: string; policy: FlakyPolicy; codeowners: string | null }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const d = new FormData(e.currentTarget);
        const branches = String(d.get('greenBranches') ?? '').split(',').map((b) => b.trim()).filter(Boolean);
        setMessage(null);
        startTransition(async () => {
          const res = await updateProjectSettingsAction({
            key: projectKey,
            policy: {
              flakesToQuarantine: num(d, 'flakesToQuarantine'), windowDays: num(d, 'windowDays'), greensToUnquarantine: num(d, 'greensToUnquarantine'),
              brokenAfterRuns: num(d, 'brokenAfterRuns'), infraFailureRatio: num(d, 'infraFailurePct') / 100, minResultsForRate: num(d, 'minResultsForRate'),
              greenBranches: branches.length ? branches : null, autoUnquarantine: d.get('autoUnquarantine') === 'on',
            },
            codeowners: String(d.get('codeowners') ?? ''),
          });
          if (res.ok) {
            setMessage({ ok: true, text: res.data.changed ? 'Saved. The policy applies from the next upload or the nightly evaluation.' : 'Nothing changed.' });
            router.refresh();
          } else setMessage({ ok: false, text: res.error.message });
        });
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Input id="p-flakes" name="flakesToQuarantine" type="number" min={1} label="Flakes to quarantine" defaultValue={policy.flakesToQuarantine} />
        <Input id="p-window" name="windowDays" type="number" min={1} label="Within days" defaultValue={policy.windowDays} />
        <Input id="p-greens" name="greensToUnquarantine" type="number" min={1} label="Greens to unquarantine" defaultValue={policy.greensToUnquarantine} />
        <Input id="p-broken" name="brokenAfterRuns" type="number" min={1} label="Broken after failing runs" defaultValue={policy.brokenAfterRuns} />
        <Input id="p-infra" name="infraFailurePct" type="number" min={1} max={100} step="any" label="Infra failure above % failed" defaultValue={Math.round(policy.infraFailureRatio * 1000) / 10} />
        <Input id="p-min" name="minResultsForRate" type="number" min={0} label="Results before a rate shows" defaultValue={policy.minResultsForRate} />
        <Input id="p-branches" name="greenBranches" label="Branches whose greens count" hint="comma-separated; empty = any" defaultValue={policy.greenBranches?.join(', ') ?? ''} fieldClassName="sm:col-span-2" />
      </div>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="autoUnquarantine" defaultChecked={policy.autoUnquarantine} className="mt-0.5 size-4 accent-sky-600" />
        <span>Unquarantine automatically when eligible <span className="text-zinc-500">(off: a person decides, as the playbook asks)</span></span>
      </label>
      <div className="space-y-1">
        <label htmlFor="p-codeowners" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">CODEOWNERS</label>
        <textarea id="p-codeowners" name="codeowners" rows={6} defaultValue={codeowners ?? ''} spellCheck={false} aria-describedby="p-codeowners-hint"
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100" />
        <p id="p-codeowners-hint" className="text-xs text-zinc-500 dark:text-zinc-400">GitHub/GitLab syntax, matched against a test&apos;s file or its classname as a path; the last match owns it.</p>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" pending={pending} pendingLabel="Saving…">Save settings</Button>
        {message && <p role={message.ok ? 'status' : 'alert'} className={`text-sm break-words ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'font-medium text-red-700 dark:text-red-400'}`}>{message.text}</p>}
      </div>
    </form>
  );
}
