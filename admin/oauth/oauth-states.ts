import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** How long an authorization link stays usable. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

const pendingSchema = z.object({
  tenantId: z.string(),
  subdomain: z.string(),
  codeVerifier: z.string(),
  createdAt: z.string(),
});
/** One started authorization: whose it is, where to exchange the code, the PKCE verifier. */
export type PendingAuthorization = z.infer<typeof pendingSchema>;

/**
 * Started OAuth authorizations, by their `state`, in Redis for 10 minutes. Each is taken once
 * (GETDEL): a replayed callback finds nothing. Keys hold a hash of the state, not the state.
 */
export class OAuthStates {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly vendor = 'zendesk',
    private readonly ttlMs = OAUTH_STATE_TTL_MS,
  ) {}

  private key(state: string) {
    const hash = createHash('sha256').update(state).digest('hex');
    return `${this.prefix}:oauth-state:${this.vendor}:${hash}`;
  }

  async put(state: string, pending: PendingAuthorization): Promise<void> {
    await this.redis.set(this.key(state), JSON.stringify(pending), 'PX', this.ttlMs);
  }

  /** The authorization started with `state`, removed as it is read; null when unknown or expired. */
  async take(state: string): Promise<PendingAuthorization | null> {
    const raw = await this.redis.getdel(this.key(state));
    if (!raw) return null;
    const parsed = pendingSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }
}
