import type { Metadata } from 'next';
import { NotBuilt } from '@/components/not-built';

export const metadata: Metadata = { title: 'Health' };

export default function HealthPage() {
  return (
    <NotBuilt
      title="Health"
      purpose="This section will hold the weekly health review: CI success, flake rate, quarantine size, performance regressions and disk headroom, each against its target, week over week."
    />
  );
}
