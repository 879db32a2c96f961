import type { Redis } from 'ioredis';
import { RunLock } from './run-lock.js';
import type { SetupItem } from '../../connectors/core/setup.js';

/** What deskplan remembers of a tenant's onboarding, besides the items themselves. */
export interface SetupMeta {
  /** Where the helpdesk was last told to post events. */
  webhookUrl: string;
  connectedAt: string;
  connectedBy: string;
}

/**
 * What `deskplan connect` made in a tenant's helpdesk, kept in deskplan's own Redis (never
 * inferred from the helpdesk): one hash field per item, written the moment the helpdesk made it,
 * so a connect cut short still knows what to find again and disconnect knows exactly what to
 * remove.
 */
export class SetupRecords {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'deskplan',
  ) {}

  private itemsKey(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:setup:items`;
  }

  private metaKey(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:setup:meta`;
  }

  private lockKey(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:setup:lock`;
  }

  private static field(item: SetupItem) {
    return `${item.kind}:${item.id}`;
  }

  async items(tenantId: string): Promise<SetupItem[]> {
    const raw = await this.redis.hvals(this.itemsKey(tenantId));
    return raw
      .map((r) => JSON.parse(r) as SetupItem)
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  }

  async remember(tenantId: string, item: SetupItem): Promise<void> {
    await this.redis.hset(this.itemsKey(tenantId), SetupRecords.field(item), JSON.stringify(item));
  }

  /** Keeps exactly `items` (what the helpdesk holds now) in one write. */
  async replace(tenantId: string, items: readonly SetupItem[], meta: SetupMeta): Promise<void> {
    const key = this.itemsKey(tenantId);
    const multi = this.redis.multi().del(key);
    for (const item of items) multi.hset(key, SetupRecords.field(item), JSON.stringify(item));
    await multi.set(this.metaKey(tenantId), JSON.stringify(meta)).exec();
  }

  async forget(tenantId: string, items: readonly SetupItem[]): Promise<void> {
    if (items.length === 0) return;
    await this.redis.hdel(this.itemsKey(tenantId), ...items.map(SetupRecords.field));
  }

  async meta(tenantId: string): Promise<SetupMeta | null> {
    const raw = await this.redis.get(this.metaKey(tenantId));
    return raw === null ? null : (JSON.parse(raw) as SetupMeta);
  }

  async clearMeta(tenantId: string): Promise<void> {
    await this.redis.del(this.metaKey(tenantId));
  }

  /** One onboarding run per tenant at a time (across processes); null when one is running. */
  lock(tenantId: string, token: string, ttlMs: number): Promise<RunLock | null> {
    return RunLock.acquire(this.redis, this.lockKey(tenantId), token, ttlMs);
  }
}
