// One more event worker on a pipeline's Redis, as another deskplan process would run it: its own
// BullMQ connection, Redis client, quota ledger, ticket-state store, rate gate and tenant catalog.
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { CallbackOutbox } from '../../worker/callbacks/callback-outbox.js';
import { createWorkers } from '../../worker/create-workers.js';
import { createRedisConnection } from '../../worker/redis/connect-redis.js';
import { QuotaLedger } from '../../worker/stores/quota-ledger.js';
import { RateGate } from '../../worker/stores/rate-gate.js';
import { ReplyCutoff } from '../../worker/stores/reply-cutoff.js';
import { TicketStateStore } from '../../worker/stores/ticket-state-store.js';
import type { TenantStore } from '../../worker/stores/tenant-store.js';
import { TenantCatalog } from '../../worker/tenants/tenant-catalog.js';

export function startEventWorker(
  p: { redis: { url: string; prefix: string }; tenants: TenantStore },
  options: {
    logger?: Logger;
    /** The worker's callback outbox, made on its own Redis client. */
    callbacks?: (client: Redis) => CallbackOutbox;
  } = {},
) {
  const connection = createRedisConnection(p.redis.url, 'worker');
  const client = new Redis(p.redis.url, { maxRetriesPerRequest: 3 });
  const workers = createWorkers({
    connection,
    prefix: p.redis.prefix,
    catalog: new TenantCatalog(p.tenants, 0),
    ledger: new QuotaLedger(client, p.redis.prefix),
    ticketStates: new TicketStateStore(client, p.redis.prefix),
    gate: new RateGate(client, p.redis.prefix),
    replyCutoff: new ReplyCutoff(client, p.redis.prefix),
    logger: options.logger ?? pino({ level: 'silent' }),
    concurrency: 5,
    callbacks: options.callbacks?.(client),
  });
  return {
    workers,
    async close() {
      await workers.close();
      connection.disconnect();
      await client.quit();
    },
  };
}
