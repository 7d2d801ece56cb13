'use client';
import { useState, useTransition, type FormEvent } from 'react';
import { formatDateTime } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { createPingKeyAction, deletePingKeyAction } from '@/lib/actions/cron';
import type { PingKeyDto } from '@/lib/services/cron';
import { CopyBlock } from './copy-block';
import { slugPingUrl } from './snippets';

/**
 * Ping keys (operators): a key lets a job ping any check by slug, `/ping/<key>/<slug>`, and with
 * `?create=1` create it, so the key is shown to operators only.
 */
export function PingKeys({ keys, base }: { keys: PingKeyDto[]; base: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | undefined>();
  const [confirming, setConfirming] = useState<string | null>(null);

  function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    setError(null);
    setNameError(undefined);
    if (!name) return setNameError('Name is required.');
    startTransition(async () => {
      const r = await createPingKeyAction({ name });
      if (r.ok) return form.reset();
      const field = r.error.details?.find((d) => d.field === 'name');
      if (field) setNameError(/^(is|must)\b/.test(field.message) ? `Name ${field.message}.` : field.message);
      else setError(r.error.message);
    });
  }
  const remove = (id: string) =>
    startTransition(async () => {
      setConfirming(null);
      const r = await deletePingKeyAction({ id });
      if (!r.ok) setError(r.error.message);
    });

  const first = keys[0];
  return (
    <Card title="Ping keys" id="ping-keys" description="A ping key addresses checks by slug, so a job can ping a check by name and create it on first use with ?create=1. Keep it secret like a uuid.">
      {keys.length > 0 ? (
        <Table caption="Ping keys" stack>
          <THead>
            <TR><TH>Name</TH><TH>Key</TH><TH>Checks</TH><TH>Created</TH><TH><span className="sr-only">Actions</span></TH></TR>
          </THead>
          <TBody>
            {keys.map((k) => (
              <TR key={k.id}>
                <TD data-label="Name" className="font-medium [overflow-wrap:anywhere]">{k.name}</TD>
                <TD data-label="Key" className="font-mono text-xs [overflow-wrap:anywhere]">{k.key}</TD>
                <TD data-label="Checks" className="tabular-nums">{k.checks}</TD>
                <TD data-label="Created" className="whitespace-nowrap text-xs">{formatDateTime(k.createdAt)}<div className="text-zinc-500 dark:text-zinc-400">{k.createdBy}</div></TD>
                <TD data-label="Actions">
                  {confirming === k.id ? (
                    <span className="flex gap-2">
                      <Button size="sm" variant="danger" onClick={() => remove(k.id)} pending={pending} pendingLabel="Deleting…">Delete {k.name}</Button>
                      <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>Keep</Button>
                    </span>
                  ) : (
                    <Button size="sm" variant="ghost" onClick={() => setConfirming(k.id)} aria-label={`Delete ping key ${k.name}`}>Delete</Button>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No ping key yet: checks are pinged by their uuid URL.</p>
      )}
      {first && (
        <div className="mt-4">
          <CopyBlock label="Ping by slug (creates the check on first use)" text={`curl -fsS -m 10 --retry 5 -o /dev/null "${slugPingUrl(base, first.key, 'my-job')}?create=1"`} />
        </div>
      )}
      <form onSubmit={add} noValidate aria-label="Add a ping key" className="mt-4 flex flex-wrap items-end gap-3">
        <Input id="pingkey-name" name="name" label="New ping key name" placeholder="e.g. backups" maxLength={100} autoComplete="off" error={nameError} fieldClassName="w-64 max-w-full" />
        <Button type="submit" variant="secondary" pending={pending} pendingLabel="Adding…">Add ping key</Button>
      </form>
      {error && <Alert className="mt-3">{error}</Alert>}
    </Card>
  );
}
