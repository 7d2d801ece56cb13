import type { Metadata } from 'next';
import { NotBuilt } from '@/components/not-built';

export const metadata: Metadata = { title: 'Cron' };

export default function CronPage() {
  return (
    <NotBuilt
      title="Cron"
      purpose="This section will watch scheduled jobs through ping URLs or the freshness of an artifact file, and show which checks are late or down."
    />
  );
}
