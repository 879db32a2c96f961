import type { Redis } from 'ioredis';

/** Per-tenant "the vendor said wait" marks, so one tenant's 429 never slows another. */
export class RateGate {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'deskplan',
  ) {}

  private key(tenantId: string) {
    return `${this.prefix}:{${tenantId}}:ratelimited`;
  }

  async block(tenantId: string, ms: number): Promise<void> {
    if (ms > 0) await this.redis.set(this.key(tenantId), '1', 'PX', Math.ceil(ms));
  }

  /** Milliseconds left to wait; 0 when the tenant may call its vendor. */
  async remaining(tenantId: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.key(tenantId)));
  }
}
