import type { Metadata } from 'next';
import { NotBuilt } from '@/components/not-built';

export const metadata: Metadata = { title: 'Performance' };

export default function PerformancePage() {
  return (
    <NotBuilt
      title="Performance"
      purpose="This section will compare performance results from CI against per-metric budgets and versioned baselines, with a noise-aware regression gate and trend charts."
    />
  );
}
