import type { Request } from 'express';
import type { ApiTokens } from './api-tokens.js';
import type { Principal } from './principal.js';

/** Who a request comes from, or null: the one place that decides (extend it for a cookie). */
export type PrincipalResolver = (req: Request) => Promise<Principal | null>;

/** The token a request presents: `Authorization: Bearer <token>` (never a query parameter). */
export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** Resolves a request's principal from its bearer token. Throws when Redis cannot answer. */
export function principalResolver(tokens: ApiTokens): PrincipalResolver {
  return async (req) => {
    const token = bearerToken(req);
    return token ? tokens.verify(token) : null;
  };
}
