'use client';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import type { ChannelDto, EmailSettings } from '@/lib/services/notifications/channel-config';
import { ChannelControls } from './channel-controls';
import { ChannelForm } from './channel-form';
import { RulesEditor } from './rules-editor';

const TYPE_LABEL = { webhook: 'JSON webhook', slack: 'Slack', email: 'Email' } as const;

/** Where a channel sends, without its secret: a webhook's host hint, an email relay and recipients. */
function target(c: ChannelDto): string {
  if (c.type === 'email') {
    const e = c.config as EmailSettings;
    return `${e.host}:${e.port} → ${e.to.join(', ')}${c.secretSet ? ' (password set)' : ''}`;
  }
  return c.secretSet ? `URL set${c.secretHint ? ` (host ${c.secretHint})` : ''}` : 'no URL';
}

export function ChannelCard({ channel: c, projects, canEdit }: { channel: ChannelDto; projects: string[]; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  return (
    <article aria-labelledby={`channel-${c.id}`} className="space-y-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 id={`channel-${c.id}`} className="font-semibold [overflow-wrap:anywhere]">{c.name}</h3>
          <p className="mt-0.5 text-sm [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400">{target(c)}</p>
        </div>
        <div className="flex gap-1">
          <Badge tone="blue">{TYPE_LABEL[c.type]}</Badge>
          <Badge tone={c.enabled ? 'green' : 'neutral'}>{c.enabled ? 'enabled' : 'disabled'}</Badge>
        </div>
      </div>
      {canEdit && (editing ? <ChannelForm channel={c} onDone={() => setEditing(false)} /> : <ChannelControls channel={c} onEdit={() => setEditing(true)} />)}
      <RulesEditor channelId={c.id} channelName={c.name} rules={c.rules} projects={projects} canEdit={canEdit} />
    </article>
  );
}
