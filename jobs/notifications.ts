import { deliverDue } from '@/lib/services/notifications/deliver';
import { createSender } from '@/lib/services/notifications/transports';
import type { JobDefinition } from './types';

/**
 * Every minute: send due notification deliveries (new ones and retries). Safe with several
 * instances: the job slot runs once, and even two overlapping runs claim disjoint rows.
 */
export const notificationsDeliverJob: JobDefinition = {
  name: 'notifications-deliver',
  description: 'Send due notification deliveries and retries (webhook, Slack, email); mark dead after the last attempt',
  schedule: '* * * * *',
  run: ({ db, now, signal }) => deliverDue(db, now, { send: createSender(), signal }),
};
