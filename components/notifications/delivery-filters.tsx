import { buttonClasses } from '@/components/ui/button';
import { Select } from '@/components/ui/select';

/** A plain GET form: the filters live in the URL, so a filtered log can be linked to. */
export function DeliveryFilters({ channels, kinds, values }: { channels: { id: string; name: string }[]; kinds: string[]; values: { channel?: string; status?: string; kind?: string } }) {
  return (
    <form method="get" aria-label="Filter deliveries" className="mb-4 grid gap-3 sm:grid-cols-[repeat(3,minmax(0,1fr))_auto] sm:items-end">
      <Select id="f-channel" name="channel" label="Channel" defaultValue={values.channel ?? ''} options={[{ value: '', label: 'All channels' }, ...channels.map((c) => ({ value: c.id, label: c.name }))]} />
      <Select id="f-status" name="status" label="Status" defaultValue={values.status ?? ''} options={[{ value: '', label: 'Any status' }, ...['pending', 'sending', 'delivered', 'failed', 'dead'].map((s) => ({ value: s, label: s === 'failed' ? 'retrying (failed)' : s }))]} />
      <Select id="f-kind" name="kind" label="Event" defaultValue={values.kind ?? ''} options={[{ value: '', label: 'Any event' }, ...kinds.map((k) => ({ value: k, label: k }))]} />
      <button type="submit" className={buttonClasses('secondary')}>Filter</button>
    </form>
  );
}
