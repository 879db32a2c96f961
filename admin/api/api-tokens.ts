import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Principal } from './principal.js';

/** A token as kept: never the token itself, only its SHA-256. */
interface StoredToken {
  id: string;
  name: string;
  /** null: the agency's (every tenant). */
  tenantId: string | null;
  createdAt: string;
}

export interface IssuedToken extends StoredToken {
  /** Shown once, when issued. */
  token: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();
const hex = (text: string) => sha256(text).toString('hex');

/** Tokens look like `dp_<43 base64url characters>`: 256 random bits. */
const TOKEN_SHAPE = /^dp_[A-Za-z0-9_-]{43}$/;

/**
 * Admin API tokens: the agency token from DESKPLAN_ADMIN_TOKEN (never stored), and tokens issued
 * through the API, kept in Redis by their SHA-256 only, each for the agency or for one tenant.
 */
export class ApiTokens {
  private readonly key: string;
  /** Token id → the token's hash, so a revoke or a liveness check is one lookup. */
  private readonly idsKey: string;
  private readonly adminHash: Buffer | null;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    adminToken: string | undefined = process.env.DESKPLAN_ADMIN_TOKEN,
  ) {
    this.key = `${prefix}:api-tokens`;
    this.idsKey = `${prefix}:api-token-ids`;
    this.adminHash = adminToken ? sha256(adminToken) : null;
  }

  async issue(name: string, tenantId: string | null): Promise<IssuedToken> {
    const token = `dp_${randomBytes(32).toString('base64url')}`;
    const stored: StoredToken = {
      id: randomUUID(),
      name,
      tenantId,
      createdAt: new Date().toISOString(),
    };
    const hash = hex(token);
    await this.redis
      .multi()
      .hset(this.key, hash, JSON.stringify(stored))
      .hset(this.idsKey, stored.id, hash)
      .exec();
    return { ...stored, token };
  }

  /** The principal a presented token stands for, or null. */
  async verify(token: string): Promise<Principal | null> {
    if (this.adminHash && timingSafeEqual(sha256(token), this.adminHash)) {
      return { kind: 'agency', tokenId: 'admin', name: 'admin' };
    }
    // The lookup is by hash: nothing about the token's content leaks through timing.
    if (!TOKEN_SHAPE.test(token)) return null;
    const raw = await this.redis.hget(this.key, hex(token));
    if (!raw) return null;
    const t = JSON.parse(raw) as StoredToken;
    return t.tenantId === null
      ? { kind: 'agency', tokenId: t.id, name: t.name }
      : { kind: 'tenant', tokenId: t.id, name: t.name, tenantId: t.tenantId };
  }

  async list(): Promise<StoredToken[]> {
    const all = await this.redis.hvals(this.key);
    return all
      .map((raw) => JSON.parse(raw) as StoredToken)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The stored hash of the token with this id (by the id index; a token issued before the
   * index existed is found by a scan). */
  private async hashOf(id: string): Promise<string | null> {
    const indexed = await this.redis.hget(this.idsKey, id);
    if (indexed) return indexed;
    const all = await this.redis.hgetall(this.key);
    return Object.keys(all).find((h) => (JSON.parse(all[h]!) as StoredToken).id === id) ?? null;
  }

  /** Whether the token with this id is still issued (not revoked). */
  async isLive(id: string): Promise<boolean> {
    return (await this.hashOf(id)) !== null;
  }

  /** Revokes a token by its id; false when there is none. */
  async revoke(id: string): Promise<boolean> {
    const hash = await this.hashOf(id);
    if (!hash) return false;
    await this.redis.multi().hdel(this.key, hash).hdel(this.idsKey, id).exec();
    return true;
  }
}
