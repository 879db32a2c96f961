import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import type { ApiTokens } from '../api/api-tokens.js';
import type { Principal } from '../api/principal.js';

/** The cookie that carries a page session's id (never a token). */
export const SESSION_COOKIE = 'deskplan_session';

/** How long a session lasts without a new login: DESKPLAN_SESSION_HOURS, default 12 h. */
export function sessionTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.DESKPLAN_SESSION_HOURS;
  const hours = text === undefined || text === '' ? 12 : Number(text);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new Error(`DESKPLAN_SESSION_HOURS must be a number of hours above 0, not '${text}'`);
  }
  return Math.round(hours * 3600_000);
}

const SESSION_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A cookie's value from the Cookie header, or null (no cookie parser needed for one name). */
export function cookieValue(req: Pick<Request, 'headers'>, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * Page sessions in Redis: a random 256-bit id (the cookie) → the principal who logged in, kept
 * under the id's SHA-256 with an expiry, so the store never holds a usable cookie nor any token.
 */
export class PageSessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly ttlMs = sessionTtlMs(),
  ) {}

  private key(id: string) {
    return `${this.prefix}:page-session:${sha256(id)}`;
  }

  async create(principal: Principal): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.redis.set(this.key(id), JSON.stringify(principal), 'PX', this.ttlMs);
    return id;
  }

  async get(id: string): Promise<Principal | null> {
    if (!SESSION_SHAPE.test(id)) return null;
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as Principal) : null;
  }

  async destroy(id: string): Promise<void> {
    if (SESSION_SHAPE.test(id)) await this.redis.del(this.key(id));
  }
}

/**
 * Who a request's session cookie stands for, or null: for the pages, and for any other router
 * that accepts the page session (the admin API, /admin/queues). A session whose API token was
 * revoked since the login ends with it (the agency token from the environment never is).
 */
export function sessionPrincipalResolver(sessions: PageSessions, tokens?: ApiTokens) {
  return async (req: Pick<Request, 'headers'>): Promise<Principal | null> => {
    const id = cookieValue(req, SESSION_COOKIE);
    if (!id) return null;
    const principal = await sessions.get(id);
    if (!principal) return null;
    if (tokens && principal.tokenId !== 'admin') {
      if (!(await tokens.isLive(principal.tokenId))) {
        await sessions.destroy(id);
        return null;
      }
    }
    return principal;
  };
}
