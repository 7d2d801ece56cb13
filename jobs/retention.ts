import { resumeStaleExecutions, runDueRotations } from '@/lib/services/retention/scheduled';
import type { JobDefinition } from './types';

export const retentionSchedulesJob: JobDefinition = {
  name: 'retention-schedules',
  description: 'Preview (and in auto mode execute) the cleanups of roots whose schedule is due',
  schedule: '* * * * *',
  run: ({ db, now }) => runDueRotations(db, now),
};

export const retentionResumeJob: JobDefinition = {
  name: 'retention-resume',
  description: 'Resume cleanups whose process died, and expire unapproved plans',
  schedule: '*/2 * * * *',
  run: ({ db, now }) => resumeStaleExecutions(db, now),
};
