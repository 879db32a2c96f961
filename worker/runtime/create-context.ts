import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createRedisConnection, resolveRedis } from '../redis/connect-redis.js';
import { QuotaLedger } from '../stores/quota-ledger.js';
import { RateGate } from '../stores/rate-gate.js';
import { TenantStore } from '../stores/tenant-store.js';
import { TicketStateStore } from '../stores/ticket-state-store.js';
import { TenantCatalog } from '../tenants/tenant-catalog.js';

export interface RuntimeContext {
  redisUrl: string;
  startedLocalRedis: boolean;
  prefix: string;
  client: Redis;
  tenantStore: TenantStore;
  catalog: TenantCatalog;
  ledger: QuotaLedger;
  ticketStates: TicketStateStore;
  gate: RateGate;
  logger: Logger;
  /** A fresh connection for a BullMQ role (workers block; queues fail fast). */
  connection(role: 'worker' | 'queue'): Redis;
  /**
   * The tenant catalog the webhook receiver reads through, on a fail-fast connection of its own
   * (a lookup while Redis is away fails at once, so the webhook gets its 503 at once), and that
   * connection, for readiness. Made on first call; the same one after.
   */
  receiverCatalog(): { catalog: TenantCatalog; connection: Redis };
  close(): Promise<void>;
}

/** Redis (REDIS_URL, or a local redis-server under ./data), the stores and the tenant catalog. */
export async function createContext(options: {
  logger: Logger;
  prefix?: string;
  dataDir?: string;
  /** The Redis to use; default REDIS_URL, else a local redis-server. */
  redisUrl?: string;
}): Promise<RuntimeContext> {
  const { logger } = options;
  const prefix = options.prefix ?? process.env.DESKPLAN_PREFIX ?? 'deskplan';
  const redis = await resolveRedis({
    dataDir: options.dataDir ?? './data/redis',
    logger,
    url: options.redisUrl,
  });
  const client = createRedisConnection(redis.url, 'client', logger);
  const connections: Redis[] = [client];
  const tenantStore = new TenantStore(client, prefix);
  let receiver: { catalog: TenantCatalog; connection: Redis } | undefined;
  return {
    redisUrl: redis.url,
    startedLocalRedis: redis.startedLocal,
    prefix,
    client,
    tenantStore,
    catalog: new TenantCatalog(tenantStore, undefined, undefined, { logger }),
    ledger: new QuotaLedger(client, prefix),
    ticketStates: new TicketStateStore(client, prefix),
    gate: new RateGate(client, prefix),
    logger,
    connection(role) {
      const connection = createRedisConnection(redis.url, role, logger);
      connections.push(connection);
      return connection;
    },
    receiverCatalog() {
      if (!receiver) {
        const connection = createRedisConnection(redis.url, 'lookup', logger);
        connections.push(connection);
        const catalog = new TenantCatalog(
          new TenantStore(connection, prefix),
          undefined,
          undefined,
          {
            logger,
          },
        );
        receiver = { catalog, connection };
      }
      return receiver;
    },
    async close() {
      // QUIT waits for Redis: a connection that is not up just disconnects.
      await Promise.all(
        connections.map((c) =>
          c.status === 'ready' ? c.quit().catch(() => c.disconnect()) : c.disconnect(),
        ),
      );
      await redis.stop();
    },
  };
}
