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
  close(): Promise<void>;
}

/** Redis (REDIS_URL, or a local redis-server under ./data), the stores and the tenant catalog. */
export async function createContext(options: {
  logger: Logger;
  prefix?: string;
  dataDir?: string;
}): Promise<RuntimeContext> {
  const { logger } = options;
  const prefix = options.prefix ?? process.env.DESKPLAN_PREFIX ?? 'deskplan';
  const redis = await resolveRedis({ dataDir: options.dataDir ?? './data/redis', logger });
  const client = createRedisConnection(redis.url, 'client');
  const connections: Redis[] = [client];
  const tenantStore = new TenantStore(client, prefix);
  return {
    redisUrl: redis.url,
    startedLocalRedis: redis.startedLocal,
    prefix,
    client,
    tenantStore,
    catalog: new TenantCatalog(tenantStore),
    ledger: new QuotaLedger(client, prefix),
    ticketStates: new TicketStateStore(client, prefix),
    gate: new RateGate(client, prefix),
    logger,
    connection(role) {
      const connection = createRedisConnection(redis.url, role);
      connections.push(connection);
      return connection;
    },
    async close() {
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
      await redis.stop();
    },
  };
}
