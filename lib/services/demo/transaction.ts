/**
 * The whole demo is one database transaction, so a failure leaves no half demo behind and a
 * concurrent `steward demo` waits on the marker row instead of loading twice.
 *
 * The services the demo drives open their own transactions (`db.$transaction(fn)`); inside the
 * demo's transaction those calls join it (Prisma has no nested interactive transactions). A
 * service's own rollback-on-error is then the demo's: any error aborts the whole demo.
 *
 * Audit rows are stamped with the simulated clock when the service writing them leaves the time
 * to the database (the retention preview/approve/execute services record audit rows without
 * their `now`; the database's now() would put thirty days of history at the minute the demo
 * ran). A service that passes `at` keeps it. The extension also counts the rows, for the summary.
 */
import type { Db } from '@/lib/db/client';
import { manualPingLimiter } from '../cron/ping-limiter';

/** Long enough for thirty simulated days on a slow embedded database. */
const TIMEOUT_MS = 30 * 60_000;

export interface DemoTx {
  db: Db;
  /** Audit rows written so far inside the demo. */
  auditRows(): number;
}

export async function inDemoTransaction<T>(db: Db, clock: () => Date, fn: (tx: DemoTx) => Promise<T>): Promise<T> {
  let audits = 0;
  const stamped = db.$extends({
    query: {
      auditEvent: {
        async create({ args, query }) {
          audits++;
          const data = args.data as { at?: Date | string };
          if (data.at === undefined) data.at = clock();
          return query(args);
        },
      },
    },
  });
  return stamped.$transaction(
    async (tx) => {
      const joined: Db = new Proxy(tx, {
        get(target, prop, receiver) {
          if (prop === '$transaction') {
            return (arg: unknown) => {
              if (typeof arg !== 'function') throw new Error('the demo supports interactive transactions only');
              return (arg as (t: Db) => unknown)(joined);
            };
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      }) as unknown as Db;
      // The demo's pings count toward their rate limits like any others: written before the commit.
      const limiter = manualPingLimiter(joined);
      const result = await fn({ db: joined, auditRows: () => audits });
      await limiter.flush(clock());
      return result;
    },
    { timeout: TIMEOUT_MS, maxWait: 60_000 },
  );
}
