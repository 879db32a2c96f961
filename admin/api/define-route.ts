import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { sendError } from '../../web-hooks/send-error.js';
import { ApiError } from './api-error.js';
import { canSee, type Principal } from './principal.js';

export type Method = 'get' | 'post' | 'put' | 'delete';

/**
 * Who may call a route: anyone ('public'), the agency only, or the agency and a token of the
 * tenant named by the path's `tenantId` (every other tenant's token gets a 403).
 */
export type Access = 'public' | 'agency' | 'tenant';

/** A raw (non-JSON) answer: CSV exports, the OpenAPI document as served. */
export interface RawAnswer {
  raw: string;
  contentType: string;
  filename?: string;
}

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** Express style, under /api: '/tenants/:tenantId'. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** The success answer's JSON (documented and, in tests, checked). */
  response: R;
  /** The success status (default 200). */
  status?: number;
  /** Other content types the route can answer with (e.g. text/csv with ?format=csv). */
  alsoProduces?: string[];
  handler: (input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    principal: Principal | null;
    req: Request;
    res: Response;
  }) => Promise<z.infer<R> | RawAnswer>;
}

export type AnyRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>;

/** Every problem of a failed parse, one line each, with its path: `body.plans[0].id: …`. */
export function problemsOf(error: z.ZodError, where: string): string[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('');
    return `${where}${path}: ${issue.message}`;
  });
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string) {
  if (!schema) return undefined as z.infer<T>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError(422, `the ${where} is not valid`, problemsOf(parsed.error, where));
  }
  return parsed.data;
}

const isRaw = (value: unknown): value is RawAnswer =>
  typeof value === 'object' && value !== null && 'raw' in value && 'contentType' in value;

/** The express handler of a route: access, validation (422 with every problem), the answer. */
export function handlerOf(route: AnyRoute, principalOf: (req: Request) => Principal | null) {
  const handler: RequestHandler = async (req, res) => {
    try {
      const principal = principalOf(req);
      if (route.access !== 'public') {
        if (!principal)
          throw new ApiError(401, 'a valid token is required (Authorization: Bearer …)');
        if (route.access === 'agency' && principal.kind !== 'agency') {
          throw new ApiError(403, 'this needs the agency token');
        }
        const tenantId = (req.params as Record<string, string>).tenantId;
        if (route.access === 'tenant' && tenantId !== undefined && !canSee(principal, tenantId)) {
          throw new ApiError(403, `this token is not for tenant '${tenantId}'`);
        }
      }
      const params = parse(route.params, req.params, 'path');
      const query = parse(route.query, req.query, 'query');
      const body = parse(route.body, req.body, 'body');
      const answer = await route.handler({ params, query, body, principal, req, res });
      if (res.headersSent) return;
      if (isRaw(answer)) {
        res.status(route.status ?? 200).type(answer.contentType);
        if (answer.filename) res.attachment(answer.filename);
        res.send(answer.raw);
        return;
      }
      res.status(route.status ?? 200).json(answer);
    } catch (error) {
      if (error instanceof ApiError) {
        sendError(res, error.status, error.message, error.details);
        return;
      }
      throw error;
    }
  };
  return handler;
}

/** The routes of the API, kept for the express router and the OpenAPI document alike. */
export class RouteRegistry {
  readonly routes: AnyRoute[] = [];

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
    route: RouteSpec<P, Q, B, R>,
  ): void {
    const clash = this.routes.find((r) => r.method === route.method && r.path === route.path);
    if (clash) throw new Error(`route ${route.method.toUpperCase()} ${route.path} defined twice`);
    this.routes.push(route as unknown as AnyRoute);
  }

  mount(router: Router, principalOf: (req: Request) => Principal | null): void {
    for (const route of this.routes)
      router[route.method](route.path, handlerOf(route, principalOf));
  }
}
