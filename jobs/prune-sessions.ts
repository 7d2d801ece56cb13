import { pruneExpiredSessions } from '@/lib/services/sessions';
import type { JobDefinition } from './types';

export const pruneSessionsJob: JobDefinition = {
  name: 'prune-sessions',
  description: 'Delete expired sessions, verifications and stale rate-limit rows',
  schedule: '*/15 * * * *',
  run: ({ db, now }) => pruneExpiredSessions(db, now),
};
