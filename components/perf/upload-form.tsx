'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { uploadPerfRunAction } from '@/lib/actions/perf';

/** gzip in the browser so that a few MB of samples fit the server-action body limit. */
async function gzip(file: File): Promise<File> {
  if (typeof CompressionStream === 'undefined' || file.name.endsWith('.gz')) return file;
  const blob = await new Response(file.stream().pipeThrough(new CompressionStream('gzip'))).blob();
  return new File([blob], `${file.name}.gz`, { type: 'application/gzip' });
}

/** Upload perf result files by hand (operator), judged like a CI run; CI uses `steward perf check`. */
export function PerfUploadForm({ project, profiles }: { project: string; profiles: string[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const options = [...new Set(['pr', 'main', ...profiles])].map((p) => ({ value: p, label: p }));
  return (
    <form
      className="grid gap-4 md:grid-cols-2"
      aria-label="Upload perf results"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const d = new FormData(form);
        const files = d.getAll('files').filter((f): f is File => f instanceof File && f.size > 0);
        const text = (k: string) => String(d.get(k) ?? '').trim() || undefined;
        setMessage(null);
        startTransition(async () => {
          const res = await uploadPerfRunAction({ project, profile: text('profile') ?? 'pr', branch: text('branch'), commit: text('commit'), runner: text('runner'), files: await Promise.all(files.map(gzip)) });
          if (!res.ok) return setMessage({ ok: false, text: res.error.message });
          const r = res.data;
          setMessage({ ok: true, text: `${r.duplicate ? 'Already uploaded' : 'Stored'}: ${r.metrics} metric(s) on ${r.testbed}, run ${r.status}.${r.warnings.length ? ` Warnings: ${r.warnings.join('; ')}` : ''}` });
          form.reset();
          router.refresh();
        });
      }}
    >
      <div className="space-y-1 md:col-span-2">
        <label htmlFor="perf-files" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">Result files</label>
        <input id="perf-files" name="files" type="file" multiple required accept=".json,.txt,.gz,application/json,text/plain" aria-describedby="perf-files-hint" className="block w-full text-sm text-zinc-700 file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm dark:text-zinc-300 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100" />
        <p id="perf-files-hint" className="text-xs text-zinc-500 dark:text-zinc-400">Steward JSON with samples, the seed&apos;s baseline.json, Bencher BMF, pytest-benchmark, Google Benchmark, hyperfine, k6 summary or go test -bench; shards of one run are pooled.</p>
      </div>
      <Select id="perf-profile" name="profile" label="Profile" defaultValue="pr" options={options} hint="which budgets apply" />
      <Input id="perf-branch" name="branch" label="Branch" maxLength={200} hint="main opens regressions; other branches compare with main" />
      <Input id="perf-commit" name="commit" label="Commit" maxLength={64} hint="optional; 7–64 hex digits" />
      <Input id="perf-runner" name="runner" label="Runner" maxLength={200} hint="optional testbed label; runs compare only within one testbed" />
      <div className="flex flex-wrap items-center gap-3 md:col-span-2">
        <Button type="submit" pending={pending} pendingLabel="Uploading…">Upload</Button>
        {message && <p role={message.ok ? 'status' : 'alert'} className={`text-sm break-words ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'font-medium text-red-700 dark:text-red-400'}`}>{message.text}</p>}
      </div>
    </form>
  );
}
