'use client';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { deleteChannelAction, sendTestAction, setChannelEnabledAction } from '@/lib/actions/notifications';
import type { ChannelDto } from '@/lib/services/notifications/channel-config';

/** Send test, enable/disable, delete (two steps). Admins only; the actions check again. */
export function ChannelControls({ channel, onEdit }: { channel: ChannelDto; onEdit: () => void }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const run = (fn: () => Promise<{ ok: boolean; text: string } | null>) => {
    setMessage(null);
    startTransition(async () => setMessage(await fn()));
  };
  const test = () =>
    run(async () => {
      const r = await sendTestAction({ channelId: channel.id });
      if (!r.ok) return { ok: false, text: r.error.message };
      return r.data.status === 'delivered' ? { ok: true, text: 'Test message delivered.' } : { ok: false, text: `Not delivered: ${r.data.error ?? r.data.status}` };
    });
  const toggle = () =>
    run(async () => {
      const r = await setChannelEnabledAction({ channelId: channel.id, enabled: !channel.enabled });
      return r.ok ? null : { ok: false, text: r.error.message };
    });
  const remove = () =>
    run(async () => {
      const r = await deleteChannelAction({ channelId: channel.id });
      return r.ok ? null : { ok: false, text: r.error.message };
    });

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="secondary" onClick={test} pending={pending} pendingLabel="Working…" aria-label={`Send test message to ${channel.name}`}>
          Send test
        </Button>
        <Button size="sm" variant="secondary" onClick={onEdit} disabled={pending} aria-label={`Edit ${channel.name}`}>
          Edit
        </Button>
        <Button size="sm" variant="secondary" onClick={toggle} disabled={pending} aria-label={`${channel.enabled ? 'Disable' : 'Enable'} ${channel.name}`}>
          {channel.enabled ? 'Disable' : 'Enable'}
        </Button>
        {confirmDelete ? (
          <span role="group" aria-label={`Confirm deleting ${channel.name}`} className="flex flex-wrap items-center gap-2">
            <Button size="sm" variant="danger" onClick={remove} disabled={pending}>
              Confirm delete
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirmDelete(false)} disabled={pending}>
              Cancel
            </Button>
          </span>
        ) : (
          <Button size="sm" variant="ghost" onClick={() => setConfirmDelete(true)} disabled={pending} aria-label={`Delete ${channel.name}`}>
            Delete
          </Button>
        )}
      </div>
      <p role="status" className={message?.ok ? 'text-sm text-emerald-700 dark:text-emerald-400' : 'text-sm text-red-700 dark:text-red-400'}>
        {message?.text ?? ''}
      </p>
    </div>
  );
}
