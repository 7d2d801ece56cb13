import type { Metadata } from 'next';
import { NotBuilt } from '@/components/not-built';

export const metadata: Metadata = { title: 'Flaky tests' };

export default function FlakyPage() {
  return (
    <NotBuilt
      title="Flaky tests"
      purpose="This section will ingest JUnit XML from CI, flag tests that both pass and fail on the same commit, and keep a quarantine list that CI can fetch, with each test's progress towards unquarantine."
    />
  );
}
