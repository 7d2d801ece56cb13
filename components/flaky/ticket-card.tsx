import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { isHttpUrl } from '@/lib/engine/flaky/links';
import type { TicketDto } from '@/lib/services/flaky/tickets';
import { TICKET_LABEL, TICKET_TONE } from './format';
import { OpenTicketButton } from './open-ticket-button';
import { TicketForm } from './ticket-form';

const CLOSED = ['fixed', 'wontfix'];

/** A ticket's links: anchors only for http(s) (anything else is shown as text), opened apart from Steward. */
function TicketLinks({ links }: { links: TicketDto['links'] }) {
  if (!links.length) return null;
  return (
    <ul className="mt-3 space-y-1 text-sm" aria-label="Ticket links">
      {links.map((l, i) => (
        <li key={i} className="min-w-0 [overflow-wrap:anywhere]">
          {isHttpUrl(l.url)
            ? <a href={l.url} rel="noopener noreferrer nofollow" target="_blank" className="text-sky-700 hover:underline dark:text-sky-400">{l.label || l.url}</a>
            : <span>{l.label || l.url}</span>}
          {l.label && <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">{new URL(l.url, 'http://x').host}</span>}
        </li>
      ))}
    </ul>
  );
}

/** The investigation ticket on the test page: read for everyone, edited by operators. */
export function TicketCard({ ticket, testId, canEdit }: { ticket: TicketDto | null; testId: string; canEdit: boolean }) {
  if (!ticket) {
    return (
      <Card title="Investigation ticket" id="ticket">
        <EmptyState title="No ticket" action={canEdit ? <OpenTicketButton testId={testId} /> : undefined}>
          An auto-quarantine opens one; {canEdit ? 'open one by hand to track an investigation.' : 'an operator can open one by hand.'}
        </EmptyState>
      </Card>
    );
  }
  const closed = CLOSED.includes(ticket.status);
  return (
    <Card title="Investigation ticket" id="ticket" actions={canEdit && closed ? <OpenTicketButton testId={testId} label="Open a new ticket" /> : undefined}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <Badge tone={TICKET_TONE[ticket.status] ?? 'neutral'}>{TICKET_LABEL[ticket.status] ?? ticket.status}</Badge>
        <span className="min-w-0 break-words">owner: {ticket.owner ?? 'nobody yet'}</span>
        <span className="text-zinc-500 dark:text-zinc-400">opened {formatDateTime(ticket.createdAt)}{ticket.updatedAt !== ticket.createdAt && ` · updated ${formatDateTime(ticket.updatedAt)}`}</span>
      </div>
      {ticket.notes && <p className="mt-3 text-sm break-words whitespace-pre-wrap" data-testid="ticket-notes">{ticket.notes}</p>}
      <TicketLinks links={ticket.links} />
      {canEdit && (
        <details className="mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <summary className="cursor-pointer text-sm font-medium text-sky-700 dark:text-sky-400">Edit the ticket</summary>
          <div className="mt-4"><TicketForm key={ticket.updatedAt} ticket={ticket} /></div>
        </details>
      )}
    </Card>
  );
}
