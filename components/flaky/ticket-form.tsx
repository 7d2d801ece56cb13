'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { controlClasses, Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { updateTicketAction } from '@/lib/actions/flaky';
import type { TicketDto, TicketStatus } from '@/lib/services/flaky/tickets';
import { TICKET_LABEL } from './format';

const STATUSES = ['open', 'investigating', 'fixed', 'wontfix'].map((s) => ({ value: s, label: TICKET_LABEL[s] ?? s }));
const MAX_LINKS = 20;

type Row = { key: number; label: string; url: string };

/**
 * The ticket editor (operators). It sends the `updatedAt` it was rendered with, so an edit made
 * meanwhile by someone else is refused (the page remounts this form after each save: see its key).
 * Field errors from the server land next to their field; link rows left empty are not sent.
 */
export function TicketForm({ ticket }: { ticket: TicketDto }) {
  const router = useRouter();
  const nextKey = useRef(ticket.links.length);
  const [links, setLinks] = useState<Row[]>(ticket.links.map((l, i) => ({ key: i, ...l })));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const setLink = (key: number, patch: Partial<Row>) => setLinks((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  return (
    <form
      className="space-y-4"
      aria-label="Edit the ticket"
      onSubmit={(e) => {
        e.preventDefault();
        const d = new FormData(e.currentTarget);
        const sent = links.filter((l) => l.label.trim() || l.url.trim());
        setErrors({});
        setMessage(null);
        startTransition(async () => {
          const res = await updateTicketAction({
            ticketId: ticket.id, expectedUpdatedAt: ticket.updatedAt, status: String(d.get('status')) as TicketStatus,
            owner: String(d.get('owner') ?? ''), notes: String(d.get('notes') ?? ''), links: sent.map(({ label, url }) => ({ label, url })),
          });
          if (res.ok) {
            setMessage({ ok: true, text: res.data.changed ? 'Saved.' : 'Nothing changed.' });
            router.refresh();
            return;
          }
          // links[2].url of what was sent → the row it came from.
          const byField: Record<string, string> = {};
          for (const i of res.error.details ?? []) byField[i.field.replace(/^links\[(\d+)\]/, (_, n: string) => `link-${sent[Number(n)]?.key ?? n}`)] = i.message;
          setErrors(byField);
          setMessage({ ok: false, text: res.error.message });
        });
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Select id="ticket-status" name="status" label="Status" options={STATUSES} defaultValue={ticket.status} error={errors.status} />
        <Input id="ticket-owner" name="owner" label="Owner" hint="a person or team; empty = nobody" maxLength={200} defaultValue={ticket.owner ?? ''} error={errors.owner} />
      </div>
      <Field id="ticket-notes" label="Notes" error={errors.notes} hint="what was tried, what is suspected (up to 10,000 characters)">
        <textarea id="ticket-notes" name="notes" rows={5} maxLength={10_000} defaultValue={ticket.notes} aria-describedby="ticket-notes-hint" aria-invalid={errors.notes ? true : undefined}
          className={`${controlClasses} w-full py-2`} />
      </Field>
      <fieldset className="min-w-0 space-y-3">
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Links <span className="font-normal text-zinc-500 dark:text-zinc-400">(http or https, up to {MAX_LINKS})</span></legend>
        {errors.links && <p className="text-xs font-medium text-red-700 dark:text-red-400">{errors.links}</p>}
        {links.map((l, i) => (
          <div key={l.key} className="flex flex-wrap items-end gap-2">
            <Input id={`ticket-link-${l.key}-label`} label={`Link ${i + 1} label`} value={l.label} maxLength={200} onChange={(e) => setLink(l.key, { label: e.target.value })} error={errors[`link-${l.key}.label`]} fieldClassName="min-w-40 flex-1" />
            <Input id={`ticket-link-${l.key}-url`} label={`Link ${i + 1} URL`} type="url" inputMode="url" placeholder="https://" value={l.url} maxLength={2000} onChange={(e) => setLink(l.key, { url: e.target.value })} error={errors[`link-${l.key}.url`]} fieldClassName="min-w-56 flex-[2]" />
            <Button variant="ghost" className="mb-1" size="sm" aria-label={`Remove link ${i + 1}`} onClick={() => setLinks((ls) => ls.filter((x) => x.key !== l.key))}>Remove</Button>
          </div>
        ))}
        <Button variant="secondary" size="sm" disabled={links.length >= MAX_LINKS} onClick={() => setLinks((ls) => [...ls, { key: nextKey.current++, label: '', url: '' }])}>Add a link</Button>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" pending={pending} pendingLabel="Saving…">Save ticket</Button>
        {message && <p role={message.ok ? 'status' : 'alert'} className={`min-w-0 text-sm break-words ${message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'font-medium text-red-700 dark:text-red-400'}`}>{message.text}</p>}
      </div>
    </form>
  );
}
