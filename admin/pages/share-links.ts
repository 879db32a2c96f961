import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A customer's read-only link to one contract's usage, as kept (never the link token itself). */
export interface ShareLink {
  id: string;
  tenantId: string;
  contractId: string;
  createdAt: string;
  createdBy: string;
}

export interface IssuedShareLink extends ShareLink {
  /** The link's secret: /share/<token>. Shown once, when created. */
  token: string;
}

/** Link tokens look like `dps_<43 base64url characters>`: 256 random bits. */
const LINK_SHAPE = /^dps_[A-Za-z0-9_-]{43}$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Share links in Redis: the token's SHA-256 → {tenant, contract}, and per tenant the links by id
 * (for listing and revoking). A revoked link is gone at once; the token cannot be read back.
 */
export class ShareLinks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private byHash(hash: string) {
    return `${this.prefix}:share-link:${hash}`;
  }

  private index(tenantId: string) {
    return `${this.prefix}:share-links:{${tenantId}}`;
  }

  async create(tenantId: string, contractId: string, createdBy: string): Promise<IssuedShareLink> {
    const token = `dps_${randomBytes(32).toString('base64url')}`;
    const link: ShareLink = {
      id: randomUUID(),
      tenantId,
      contractId,
      createdAt: new Date().toISOString(),
      createdBy,
    };
    const hash = sha256(token);
    await this.redis
      .multi()
      .set(this.byHash(hash), JSON.stringify(link))
      .hset(this.index(tenantId), link.id, JSON.stringify({ ...link, hash }))
      .exec();
    return { ...link, token };
  }

  /** The link a presented token stands for, or null (unknown, malformed or revoked). */
  async resolve(token: string): Promise<ShareLink | null> {
    if (!LINK_SHAPE.test(token)) return null;
    const raw = await this.redis.get(this.byHash(sha256(token)));
    return raw ? (JSON.parse(raw) as ShareLink) : null;
  }

  /** A tenant's live links, oldest first; with `contractId`, only that contract's. */
  async list(tenantId: string, contractId?: string): Promise<ShareLink[]> {
    const all = await this.redis.hvals(this.index(tenantId));
    return all
      .map((raw) => {
        const { hash: _h, ...link } = JSON.parse(raw) as ShareLink & { hash: string };
        return link;
      })
      .filter((l) => contractId === undefined || l.contractId === contractId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Revokes a tenant's link by its id; false when there is none. */
  async revoke(tenantId: string, id: string): Promise<boolean> {
    const raw = await this.redis.hget(this.index(tenantId), id);
    if (!raw) return false;
    const { hash } = JSON.parse(raw) as { hash: string };
    await this.redis.multi().del(this.byHash(hash)).hdel(this.index(tenantId), id).exec();
    return true;
  }
}
