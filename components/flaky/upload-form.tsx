'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { formatNumber } from '@/components/format';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { uploadResultsAction } from '@/lib/actions/flaky';

/** gzip in the browser so that several MB of XML fit the server-action body limit. */
async function gzip(file: File): Promise<File> {
  if (typeof CompressionStream === 'undefined') return file;
  const stream = file.stream().pipeThrough(new CompressionStream('gzip'));
  const blob = await new Response(stream).blob();
  return new File([blob], `${file.name}.gz`, { type: 'application/gzip' });
}

/** Upload JUnit XML or TRX files by hand (operator); CI uses `steward report junit`. */
export function UploadForm({ project }: { project: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      className="grid gap-4 md:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const data = new FormData(form);
        const files = data.getAll('files').filter((f): f is File => f instanceof File && f.size > 0);
        setMessage(null);
        startTransition(async () => {
          const res = await uploadResultsAction({
            project,
            meta: { commit: String(data.get('commit') || '') || null, branch: String(data.get('branch') || '') || null, root: String(data.get('root') || '').trim() || null },
            files: await Promise.all(files.map(gzip)),
          });
          if (res.ok) {
            const t = res.data.totals;
            const dup = res.data.uploads.filter((u) => u.duplicate).length;
            setMessage({ ok: true, text: `Stored ${formatNumber(t.tests)} tests: ${formatNumber(t.passed)} passed, ${formatNumber(t.failed + t.errors)} failed, ${formatNumber(t.flaky)} flaky, ${formatNumber(t.skipped)} skipped${dup ? ` (${dup} file(s) already uploaded, not counted again)` : ''}${res.data.quarantined ? `; ${res.data.quarantined} test(s) quarantined` : ''}.` });
            form.reset();
            router.refresh();
          } else setMessage({ ok: false, text: res.error.message });
        });
      }}
    >
      <div className="space-y-1 md:col-span-2">
        <label htmlFor="upload-files" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">Results files</label>
        <input id="upload-files" name="files" type="file" multiple accept=".xml,.trx,.gz,application/xml,text/xml" required className="block w-full text-sm text-zinc-700 file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm dark:text-zinc-300 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100" aria-describedby="upload-files-hint" />
        <p id="upload-files-hint" className="text-xs text-zinc-500 dark:text-zinc-400">JUnit XML (any producer) or .NET TRX, up to 20 files; compressed in the browser before sending.</p>
      </div>
      <Input id="upload-commit" name="commit" label="Commit" hint="optional; flakes are counted per commit" maxLength={200} />
      <Input id="upload-branch" name="branch" label="Branch" hint="optional" maxLength={300} />
      <Input id="upload-root" name="root" label="Checkout directory" fieldClassName="md:col-span-2" hint="optional; the CI workspace the tests ran in (e.g. /home/runner/work/app/app): absolute file paths under it are stored relative, as steward report junit does" maxLength={1000} />
      <div className="flex flex-wrap items-center gap-3 md:col-span-2">
        <Button type="submit" pending={pending} pendingLabel="Uploading…">Upload</Button>
        {message && <p role={message.ok ? 'status' : 'alert'} className={`text-sm break-words ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'font-medium text-red-700 dark:text-red-400'}`}>{message.text}</p>}
      </div>
    </form>
  );
}
