import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoredToken, TokenStore } from '../../connectors/core/token-store.js';
import { openSecrets, sealSecrets, type SecretKey } from '../tenants/seal-secrets.js';

/**
 * Vendor access tokens shared by every deskplan process, encrypted at rest (AES-256-GCM with
 * the tenant secrets' key, the same sealing as stored configs) and expiring with the token. Keys
 * are hashed, so Redis holds no app id either.
 */
export class SealedTokenStore implements TokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly secretKey: SecretKey,
    private readonly now: () => number = Date.now,
  ) {}

  private redisKey(key: string) {
    return `${this.prefix}:vendor-token:${createHash('sha256').update(key).digest('hex')}`;
  }

  async get(key: string): Promise<StoredToken | null> {
    const raw = await this.redis.get(this.redisKey(key));
    if (!raw) return null;
    const { connection, expiresAt } = openSecrets(JSON.parse(raw), this.secretKey, key) as {
      connection: { accessToken: string };
      expiresAt: number;
    };
    return { value: connection.accessToken, expiresAt };
  }

  async set(key: string, token: StoredToken): Promise<void> {
    const ttl = token.expiresAt - this.now();
    if (ttl <= 0) return;
    const { config } = sealSecrets(
      { connection: { accessToken: token.value }, expiresAt: token.expiresAt },
      this.secretKey,
      key,
    );
    await this.redis.set(this.redisKey(key), JSON.stringify(config), 'PX', ttl);
  }

  async forget(key: string, value: string): Promise<void> {
    const stored = await this.get(key).catch(() => null);
    if (stored?.value === value) await this.redis.del(this.redisKey(key));
  }
}
