'use client';
import { useState, useTransition, type FormEvent } from 'react';
import { fieldErrors, type FieldErrors } from '@/components/field-errors';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { createChannelAction, updateChannelAction } from '@/lib/actions/notifications';
import type { ChannelDto, EmailSettings } from '@/lib/services/notifications/channel-config';

const TYPES = [
  { value: 'webhook', label: 'JSON webhook' },
  { value: 'slack', label: 'Slack-compatible webhook' },
  { value: 'email', label: 'Email (SMTP)' },
];
const SECURITY = [
  { value: 'starttls', label: 'STARTTLS required (587)' },
  { value: 'tls', label: 'TLS from the start (465)' },
  { value: 'opportunistic', label: 'STARTTLS if offered (local relay)' },
];

/**
 * Create a channel, or edit one (`channel` given). The secret (webhook URL, SMTP password) is
 * never sent to the browser: editing shows an empty field with an "unchanged" placeholder, and
 * leaving it empty keeps the stored secret.
 */
export function ChannelForm({ channel, onDone }: { channel?: ChannelDto; onDone?: () => void }) {
  const [type, setType] = useState<string>(channel?.type ?? 'webhook');
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const email = channel?.type === 'email' ? (channel.config as EmailSettings) : null;
  const idp = channel ? `edit-${channel.id}` : 'new-channel';
  const keep = channel?.secretSet ? 'unchanged (type to replace)' : undefined;

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '');
    const security = s('security');
    const input =
      type === 'email'
        ? {
            type, name: s('name'), enabled: channel?.enabled ?? true, host: s('host'), port: s('port') || 587, secure: security === 'tls', requireTls: security === 'starttls',
            user: s('user'), password: s('password'), clearPassword: f.get('clearPassword') === 'on', from: s('from'),
            to: s('to').split(/[\s,;]+/).filter(Boolean),
          }
        : { type, name: s('name'), enabled: channel?.enabled ?? true, url: s('url') };
    setErrors({});
    setFormError(null);
    startTransition(async () => {
      const res = channel ? await updateChannelAction({ channelId: channel.id, channel: input }) : await createChannelAction({ channel: input });
      if (res.ok) {
        if (!channel) (e.target as HTMLFormElement).reset();
        onDone?.();
        return;
      }
      const fe = fieldErrors(res.error.details);
      setErrors(fe);
      setFormError(Object.keys(fe).length ? 'Fix the highlighted fields.' : res.error.message);
    });
  }

  return (
    <form method="post" noValidate onSubmit={onSubmit} aria-label={channel ? `Edit ${channel.name}` : 'Add channel'} className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Input id={`${idp}-name`} name="name" label="Name" defaultValue={channel?.name} placeholder="e.g. ci-alerts" required maxLength={80} autoComplete="off" error={errors.name} />
        <Select id={`${idp}-type`} name="type" label="Type" options={TYPES} value={type} onChange={(e) => setType(e.target.value)} disabled={Boolean(channel)} hint={channel ? 'A channel keeps its type.' : undefined} />
      </div>
      {type !== 'email' ? (
        <Input
          id={`${idp}-url`} name="url" type="url" label="Webhook URL" autoComplete="off" spellCheck={false} placeholder={keep ?? 'https://hooks.example.com/…'} error={errors.url}
          hint="Kept secret: it usually carries the hook's token. It is encrypted at rest and never shown again."
        />
      ) : (
        <>
          <div className="grid gap-4 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
            <Input id={`${idp}-host`} name="host" label="SMTP host" defaultValue={email?.host} placeholder="smtp.example.com" autoComplete="off" error={errors.host} />
            <Input id={`${idp}-port`} name="port" type="number" label="Port" defaultValue={email?.port ?? 587} min={1} max={65535} error={errors.port} />
          </div>
          <Select id={`${idp}-security`} name="security" label="Security" options={SECURITY} defaultValue={email ? (email.secure ? 'tls' : email.requireTls ? 'starttls' : 'opportunistic') : 'starttls'} />
          <div className="grid gap-4 sm:grid-cols-2">
            <Input id={`${idp}-user`} name="user" label="User (optional)" defaultValue={email?.user ?? ''} autoComplete="off" error={errors.user} />
            <Input id={`${idp}-password`} name="password" type="password" label="Password" autoComplete="new-password" placeholder={keep} error={errors.password} hint="Encrypted at rest, never shown again." />
          </div>
          {channel?.secretSet && (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="clearPassword" className="size-4 accent-sky-600" /> Remove the stored password
            </label>
          )}
          <div className="grid gap-4 sm:grid-cols-2">
            <Input id={`${idp}-from`} name="from" type="email" label="From" defaultValue={email?.from} placeholder="steward@example.com" error={errors.from} />
            <Input id={`${idp}-to`} name="to" label="To" defaultValue={email?.to.join(', ')} placeholder="oncall@example.com, lead@example.com" error={errors.to} hint="Comma-separated." />
          </div>
        </>
      )}
      {formError && <Alert>{formError}</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" pending={pending} pendingLabel="Saving…">
          {channel ? 'Save channel' : 'Add channel'}
        </Button>
        {onDone && channel && (
          <Button variant="ghost" onClick={onDone} disabled={pending}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
