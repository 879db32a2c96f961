import express, { type Request, type Response } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import { FakeServer, type RecordedRequest } from './fake-server.js';

/**
 * A local stand-in for one Zendesk account's REST API, on loopback: the real paths and payload
 * shapes of Show Ticket (with side-loaded organizations) and Update Ticket (tags, additional_tags,
 * remove_tags, priority, custom_fields, comment, safe_update with updated_stamp), List Comments
 * (the description first; cursor pages; authors side-loaded with their role) and the cursor-based
 * Incremental Ticket Export, plus fault injection (429 with Retry-After, 500, latency). Used by integration tests, the demo and the
 * pipeline benchmark. Docs: https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/
 */

export interface FakeTicket {
  id: number;
  subject: string;
  description: string;
  status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
  priority: 'low' | 'normal' | 'high' | 'urgent' | null;
  type: string | null;
  tags: string[];
  requester_id: number;
  organization_id: number | null;
  created_at: string;
  updated_at: string;
  custom_fields: { id: number; value: string | null }[];
  /** Comments after the description (which List Comments renders first), oldest first. */
  comments: FakeComment[];
  via?: { channel: string };
  brand_id?: number | null;
  ticket_form_id?: number | null;
}

/**
 * A comment as the fake keeps it. `id` is given when the comment is made (or, for one seeded
 * without, when first listed); the author defaults to the API user (`me`), who writes the notes.
 */
export interface FakeComment {
  body: string;
  public: boolean;
  created_at: string;
  id?: number;
  author_id?: number;
  /** The author's role as Zendesk's users side-load gives it. */
  author_role?: 'end-user' | 'agent' | 'admin';
}

/** The agent whose replies `addReply` adds (a user of the fake with role agent). */
export const FAKE_REPLY_AGENT = { id: 8001, name: 'Fake Agent', email: 'agent@acme.example' };

export interface FakeOrganization {
  id: number;
  name: string;
  domain_names: string[];
  organization_fields: Record<string, string | number | boolean | null>;
}

type Fault = {
  status: 409 | 429 | 500 | 503;
  /** Only requests whose path starts with this (afterApply faults). */
  path?: string;
  retryAfter?: number;
  times: number;
  method?: string;
  /** Apply the update first, then answer with the error (a write that landed but failed). */
  afterApply?: boolean;
  /** Apply the update, then never answer (the client's timeout ends it). */
  hang?: boolean;
};

/** A webhook as the Webhooks API returns it (plus its signing secret, kept apart). */
export interface FakeWebhook {
  id: string;
  name: string;
  endpoint: string;
  http_method: string;
  request_format: string;
  status: string;
  subscriptions: string[];
  created_at: string;
}

export interface FakeTrigger {
  id: number;
  title: string;
  active: boolean;
  position: number;
  conditions: { all: unknown[]; any: unknown[] };
  actions: { field: string; value: unknown }[];
  description: string | null;
}

export interface FakeTicketField {
  id: number;
  type: string;
  title: string;
  description: string;
  active: boolean;
}

/** The fake's OAuth client (a global OAuth client's identifier and secret). */
export interface FakeOAuthClient {
  clientId: string;
  clientSecret: string;
}

interface FakeAuthorization {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string | null;
}

export class FakeZendesk extends FakeServer {
  readonly tickets = new Map<number, FakeTicket>();
  readonly organizations = new Map<number, FakeOrganization>();
  readonly users = new Map<number, { id: number; email: string; name: string }>();
  private faults: Fault[] = [];
  latencyMs = 0;
  /** Tickets per page of the incremental export (Zendesk's is 1000). */
  exportPageSize = 1000;
  /** Incremental export pages (1 = the first) answered once with this status instead. */
  readonly failExportPages = new Map<number, 500 | 503>();
  /** Called after each successful ticket update (the demo uses it to fire trigger webhooks). */
  onTicketUpdated: ((ticket: FakeTicket) => void) | null = null;
  readonly webhooks = new Map<string, FakeWebhook>();
  readonly signingSecrets = new Map<string, string>();
  readonly triggers = new Map<number, FakeTrigger>();
  readonly ticketFields = new Map<number, FakeTicketField>();
  /** What GET /users/me answers (an anonymous caller gets id null, role end-user). */
  me: { id: number | null; role: string; email: string | null } = {
    id: 1,
    role: 'admin',
    email: 'admin@acme.example',
  };
  /** Triggers per page of List Triggers (offset pagination with next_page). */
  triggerPageSize = 100;
  private nextId = 9000;
  /** Comment ids, unique across the account as Zendesk's are. */
  private nextCommentId = 70_000_000_001;
  /** The id of each ticket's first comment (its description), given when first listed. */
  private readonly descriptionIds = new Map<number, number>();
  /** Comments per page of List Comments with cursor pagination (Zendesk allows up to 100). */
  commentPageSize = 100;
  /** OAuth (authorization code grant with PKCE, refresh tokens); null until enableOAuth. */
  private oauthClient: FakeOAuthClient | null = null;
  /** Authorization screens opened, by state (what approve/deny answer). */
  private readonly authorizations = new Map<string, FakeAuthorization>();
  private readonly codes = new Map<string, FakeAuthorization>();
  /** Access tokens issued and when each expires (epoch ms; Infinity: never). */
  readonly accessTokens = new Map<string, number>();
  private readonly refreshTokens = new Map<string, string>();
  /** Lifetime of issued access tokens (expires_in); null: they do not expire. */
  accessTokenLifeS: number | null = null;

  constructor(clock?: () => Date) {
    super('Zendesk', clock);
  }

  /**
   * Makes the fake speak Zendesk's OAuth: GET /oauth/authorizations/new (the consent screen),
   * POST /oauth/tokens (authorization_code with PKCE, refresh_token), and from then on an API
   * request with `Authorization: Bearer` needs a token it issued, unexpired (Basic stays as is).
   * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
   */
  enableOAuth(client: FakeOAuthClient): void {
    this.oauthClient = client;
  }

  /** The admin clicks "Allow" on the screen opened with `state`: where Zendesk sends the browser. */
  approve(state: string): { code: string; redirect: string } {
    const authorization = this.authorizations.get(state);
    if (!authorization) throw new Error(`no authorization screen was opened with that state`);
    this.authorizations.delete(state);
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, authorization);
    const url = new URL(authorization.redirectUri);
    url.searchParams.set('code', code);
    url.searchParams.set('state', state);
    return { code, redirect: url.toString() };
  }

  /** The admin clicks "Deny": the redirect Zendesk makes (error=access_denied). */
  deny(state: string): string {
    const authorization = this.authorizations.get(state);
    if (!authorization) throw new Error(`no authorization screen was opened with that state`);
    this.authorizations.delete(state);
    const url = new URL(authorization.redirectUri);
    url.searchParams.set('error', 'access_denied');
    url.searchParams.set(
      'error_description',
      'The end-user or authorization server denied the request.',
    );
    url.searchParams.set('state', state);
    return url.toString();
  }

  private authorizeScreen(req: Request, res: Response) {
    const q = req.query as Record<string, unknown>;
    const client = this.oauthClient;
    if (!client || q.client_id !== client.clientId) {
      return res.status(400).send('<p>Invalid authorization request: unknown client</p>');
    }
    if (
      q.response_type !== 'code' ||
      typeof q.redirect_uri !== 'string' ||
      typeof q.state !== 'string'
    ) {
      return res.status(400).send('<p>Invalid authorization request</p>');
    }
    if (q.code_challenge !== undefined && q.code_challenge_method !== 'S256') {
      return res.status(400).send('<p>Invalid code_challenge_method</p>');
    }
    this.authorizations.set(q.state, {
      clientId: client.clientId,
      redirectUri: q.redirect_uri,
      scope: String(q.scope ?? ''),
      state: q.state,
      codeChallenge: typeof q.code_challenge === 'string' ? q.code_challenge : null,
    });
    res.type('html').send('<form><button>Allow</button><button>Deny</button></form>');
  }

  private issue(res: Response, scope: string) {
    const access = randomBytes(24).toString('hex');
    const refresh = randomBytes(24).toString('hex');
    const life = this.accessTokenLifeS;
    this.accessTokens.set(access, life === null ? Infinity : this.clock().getTime() + life * 1000);
    this.refreshTokens.set(refresh, access);
    res.json({
      access_token: access,
      token_type: 'bearer',
      scope,
      refresh_token: refresh,
      expires_in: life,
      refresh_token_expires_in: 2_592_000,
    });
  }

  private tokens(req: Request, res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const client = this.oauthClient;
    const invalid = (status: number, error: string) =>
      res.status(status).json({ error, error_description: `fake: ${error}` });
    if (!req.is('application/json')) return invalid(400, 'invalid_request');
    if (
      !client ||
      body.client_id !== client.clientId ||
      body.client_secret !== client.clientSecret
    ) {
      return invalid(401, 'invalid_client');
    }
    if (body.grant_type === 'authorization_code') {
      const authorization = typeof body.code === 'string' ? this.codes.get(body.code) : undefined;
      if (!authorization) return invalid(400, 'invalid_grant');
      this.codes.delete(body.code as string); // a code is good once
      if (body.redirect_uri !== authorization.redirectUri) return invalid(400, 'invalid_grant');
      if (authorization.codeChallenge !== null) {
        const verifier = typeof body.code_verifier === 'string' ? body.code_verifier : '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (challenge !== authorization.codeChallenge) return invalid(400, 'invalid_grant');
      }
      return this.issue(res, String(body.scope ?? authorization.scope));
    }
    if (body.grant_type === 'refresh_token') {
      const refresh = typeof body.refresh_token === 'string' ? body.refresh_token : '';
      const access = this.refreshTokens.get(refresh);
      if (access === undefined) return invalid(400, 'invalid_grant');
      // The old pair stops working.
      this.refreshTokens.delete(refresh);
      this.accessTokens.delete(access);
      return this.issue(res, 'read write');
    }
    return invalid(400, 'unsupported_grant_type');
  }

  /** Writes (PUTs) received, newest last. */
  get writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'PUT');
  }

  /**
   * The next `times` updates are applied, then answered with `status` (or never answered, with
   * `hang`): Zendesk did the work but the caller cannot know it.
   */
  failAfterApplying(
    status: 500 | 503 = 500,
    times = 1,
    options: { hang?: boolean; method?: 'PUT' | 'POST'; path?: string } = {},
  ): void {
    this.faults.push({
      status,
      times,
      method: options.method ?? 'PUT',
      path: options.path,
      afterApply: true,
      hang: options.hang,
    });
  }

  /** The internal notes (private comments) of a ticket, oldest first. */
  notes(ticketId: number): string[] {
    return (this.tickets.get(ticketId)?.comments ?? []).filter((c) => !c.public).map((c) => c.body);
  }

  /**
   * Test hook: a reply on the ticket at `at`, by an agent (FAKE_REPLY_AGENT, role agent) or by the
   * requester (role end-user), public unless `isPublic` is false. Moves the ticket's updated_at
   * to `at` when that is later. Answers the comment id as listReplies reports it.
   */
  addReply(
    ticketId: string,
    reply: { at: string; author: 'agent' | 'customer'; isPublic?: boolean },
  ): string {
    const ticket = this.tickets.get(Number(ticketId));
    if (!ticket) throw new Error(`no ticket ${ticketId} in the fake`);
    const agent = reply.author === 'agent';
    const id = this.nextCommentId++;
    ticket.comments.push({
      id,
      body: agent ? 'Thanks, looking into it.' : 'Any news?',
      public: reply.isPublic !== false,
      created_at: reply.at,
      author_id: agent ? FAKE_REPLY_AGENT.id : ticket.requester_id,
      author_role: agent ? 'agent' : 'end-user',
    });
    if (Date.parse(reply.at) > Date.parse(ticket.updated_at)) ticket.updated_at = reply.at;
    return String(id);
  }

  /** The next `times` API requests fail with `status` (and Retry-After seconds for a 429). */
  failNext(status: Fault['status'], times = 1, retryAfter?: number, method?: 'GET' | 'PUT'): void {
    this.faults.push({ status, times, retryAfter, method });
  }

  addOrganization(org: Partial<FakeOrganization> & { id: number }): FakeOrganization {
    const full = { name: `Org ${org.id}`, domain_names: [], organization_fields: {}, ...org };
    this.organizations.set(full.id, full);
    return full;
  }

  addTicket(ticket: Partial<FakeTicket> & { id: number; subject: string }): FakeTicket {
    const now = this.now();
    const full: FakeTicket = {
      description: ticket.subject,
      status: 'new',
      priority: 'normal',
      type: null,
      tags: [],
      requester_id: 1,
      organization_id: null,
      created_at: now,
      updated_at: now,
      custom_fields: [],
      comments: [],
      ...ticket,
    };
    this.tickets.set(full.id, full);
    return full;
  }

  async listen(port = 0): Promise<string> {
    const app = express();
    app.use(express.json({ limit: '2mb' }));
    app.use((req, res, next) => {
      this.record(req, res, {});
      if (req.path.startsWith('/oauth/')) return next();
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (bearer !== undefined && this.oauthClient) {
        const expires = this.accessTokens.get(bearer);
        if (expires === undefined || expires <= this.clock().getTime()) {
          res.status(401).json({ error: 'invalid_token', description: 'Invalid or expired token' });
          return;
        }
      }
      const fault = this.faults[0];
      if (fault?.afterApply) {
        if (fault.method === req.method && (!fault.path || req.path.startsWith(fault.path))) {
          if (--fault.times <= 0) this.faults.shift();
          res.locals.faultAfterApply = fault;
        }
        return next();
      }
      if (fault && (!fault.method || fault.method === req.method)) {
        if (--fault.times <= 0) this.faults.shift();
        if (fault.retryAfter !== undefined) res.set('Retry-After', String(fault.retryAfter));
        res
          .status(fault.status)
          .json(
            fault.status === 429
              ? { error: 'APIRateLimitExceeded', description: 'Rate limit exceeded' }
              : { error: 'InternalServerError', description: 'Something went wrong' },
          );
        return;
      }
      if (this.latencyMs > 0) setTimeout(next, this.latencyMs);
      else next();
    });
    app.get('/oauth/authorizations/new', (req, res) => this.authorizeScreen(req, res));
    app.post('/oauth/tokens', (req, res) => this.tokens(req, res));
    app.get('/api/v2/tickets/:id.json', (req, res) => this.show(req, res));
    app.put('/api/v2/tickets/:id.json', (req, res) => this.update(req, res));
    app.get('/api/v2/tickets/:id/comments.json', (req, res) => this.comments(req, res));
    app.get('/api/v2/incremental/tickets/cursor.json', (req, res) => this.exportTickets(req, res));
    this.routeSetup(app);
    app.use((_req, res) => {
      res.status(404).json({ error: 'InvalidEndpoint', description: 'Not found' });
    });
    return this.serve(app, port);
  }

  /** A ticket as the API returns it (without our internal comment list). */
  render(ticket: FakeTicket) {
    const { comments: _comments, ...rest } = ticket;
    return {
      ...rest,
      url: `${this.listening ? this.baseUrl : ''}/api/v2/tickets/${ticket.id}.json`,
      raw_subject: ticket.subject,
      fields: ticket.custom_fields,
      via: ticket.via ?? { channel: 'web' },
    };
  }

  private show(req: Request, res: Response) {
    const ticket = this.tickets.get(Number(req.params.id));
    if (!ticket) return res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
    const include = String(req.query.include ?? '').split(',');
    const body: Record<string, unknown> = { ticket: this.render(ticket) };
    if (include.includes('organizations')) {
      const org = ticket.organization_id
        ? this.organizations.get(ticket.organization_id)
        : undefined;
      body.organizations = org ? [org] : [];
    }
    if (include.includes('users')) {
      const user = this.users.get(ticket.requester_id);
      body.users = user ? [user] : [];
    }
    res.json(body);
  }

  /**
   * Incremental Ticket Export, cursor based: the tickets updated at or after start_time (unix
   * seconds), oldest update first, `exportPageSize` a page, with after_cursor and end_of_stream;
   * include=organizations,users side-loads those. The cursor is opaque to the client.
   */
  private exportTickets(req: Request, res: Response) {
    let start: number;
    let offset: number;
    if (typeof req.query.cursor === 'string') {
      const [s, o] = Buffer.from(req.query.cursor, 'base64url').toString().split(':');
      start = Number(s);
      offset = Number(o);
    } else if (typeof req.query.start_time === 'string') {
      start = Number(req.query.start_time);
      offset = 0;
    } else {
      return res
        .status(400)
        .json({ error: 'InvalidPaginationParameter', description: 'start_time' });
    }
    if (!Number.isFinite(start) || !Number.isFinite(offset)) {
      return res.status(400).json({ error: 'InvalidPaginationParameter', description: 'cursor' });
    }
    const page = Math.floor(offset / this.exportPageSize) + 1;
    const fail = this.failExportPages.get(page);
    if (fail) {
      this.failExportPages.delete(page);
      return res.status(fail).json({ error: 'InternalServerError', description: 'Try again' });
    }
    const all = [...this.tickets.values()]
      .filter((t) => Date.parse(t.updated_at) >= start * 1000)
      .sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at) || a.id - b.id);
    const tickets = all.slice(offset, offset + this.exportPageSize);
    const next = offset + tickets.length;
    const include = String(req.query.include ?? '').split(',');
    const body: Record<string, unknown> = {
      tickets: tickets.map((t) => this.render(t)),
      after_cursor: Buffer.from(`${start}:${next}`).toString('base64url'),
      before_cursor: null,
      end_of_stream: next >= all.length,
    };
    if (include.includes('organizations')) {
      const ids = new Set(tickets.map((t) => t.organization_id));
      body.organizations = [...this.organizations.values()].filter((o) => ids.has(o.id));
    }
    if (include.includes('users')) {
      const ids = new Set(tickets.map((t) => t.requester_id));
      body.users = [...this.users.values()].filter((u) => ids.has(u.id));
    }
    res.json(body);
  }

  /**
   * A ticket's comments as List Comments returns them, oldest first: the description first (by
   * the requester, public), then the others, each with its author and the author's role.
   */
  private listedComments(ticket: FakeTicket) {
    let descriptionId = this.descriptionIds.get(ticket.id);
    if (descriptionId === undefined) {
      descriptionId = this.nextCommentId++;
      this.descriptionIds.set(ticket.id, descriptionId);
    }
    const description = {
      id: descriptionId,
      body: ticket.description,
      public: true,
      created_at: ticket.created_at,
      author_id: ticket.requester_id,
      author_role: 'end-user' as const,
    };
    const others = ticket.comments.map((c) => {
      c.id ??= this.nextCommentId++;
      return {
        ...c,
        id: c.id,
        author_id: c.author_id ?? this.me.id ?? 0,
        author_role: c.author_role ?? (this.me.role as FakeComment['author_role']) ?? 'admin',
      };
    });
    return [description, ...others];
  }

  /**
   * List Comments: offset style (sort_order asc, the default, or desc; everything on one page)
   * or, with page[size], cursor pagination (page[after], meta.has_more and after_cursor,
   * links.next). include=users side-loads the authors of the page with their role (a user's
   * role is the one of their first comment on the ticket).
   */
  private comments(req: Request, res: Response) {
    const ticket = this.tickets.get(Number(req.params.id));
    if (!ticket) return res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
    const listed = this.listedComments(ticket);
    const roles = new Map<number, string>();
    for (const c of listed) if (!roles.has(c.author_id)) roles.set(c.author_id, c.author_role);
    const render = (c: (typeof listed)[number]) => ({
      id: c.id,
      type: 'Comment',
      author_id: c.author_id,
      body: c.body,
      html_body: `<p>${c.body}</p>`,
      plain_body: c.body,
      public: c.public,
      attachments: [],
      created_at: c.created_at,
    });
    const users = (page: typeof listed) =>
      [...new Set(page.map((c) => c.author_id))].map((id) => {
        const known = this.users.get(id) ?? (id === FAKE_REPLY_AGENT.id ? FAKE_REPLY_AGENT : null);
        return {
          id,
          name: known?.name ?? `User ${id}`,
          email: known?.email ?? null,
          role: roles.get(id),
        };
      });
    const q = req.query as Record<string, string | undefined>;
    const withUsers = String(q.include ?? '')
      .split(',')
      .includes('users');
    if (q['page[size]'] === undefined) {
      if (q.sort_order === 'desc') listed.reverse();
      return res.json({
        comments: listed.map(render),
        ...(withUsers ? { users: users(listed) } : {}),
        next_page: null,
        previous_page: null,
        count: listed.length,
      });
    }
    const size = Math.min(Number(q['page[size]']) || this.commentPageSize, 100);
    const pageSize = Math.min(size, this.commentPageSize);
    const after = q['page[after]'];
    const start = after ? Number(Buffer.from(after, 'base64url').toString()) : 0;
    if (!Number.isInteger(start) || start < 0) {
      return res
        .status(400)
        .json({ error: 'InvalidPaginationParameter', description: 'page[after]' });
    }
    const page = listed.slice(start, start + pageSize);
    const hasMore = start + page.length < listed.length;
    const cursor = Buffer.from(String(start + page.length)).toString('base64url');
    const next = `${this.baseUrl}/api/v2/tickets/${ticket.id}/comments.json?page[size]=${size}&page[after]=${cursor}`;
    res.json({
      comments: page.map(render),
      ...(withUsers ? { users: users(page) } : {}),
      meta: { has_more: hasMore, after_cursor: hasMore ? cursor : null, before_cursor: null },
      links: { next: hasMore ? next : null, prev: null },
    });
  }

  private update(req: Request, res: Response) {
    const ticket = this.tickets.get(Number(req.params.id));
    if (!ticket) return res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });
    if (ticket.status === 'closed') {
      return res.status(422).json({ error: 'RecordInvalid', description: 'Ticket is closed' });
    }
    const input = (req.body as { ticket?: Record<string, unknown> })?.ticket;
    if (!input || typeof input !== 'object') {
      return res.status(400).json({ error: 'InvalidParameter', description: 'ticket is required' });
    }
    const safe = input.safe_update === true || input.safe_update === 'true';
    if (safe && input.updated_stamp !== ticket.updated_at) {
      return res.status(409).json({
        error: 'UpdateConflict',
        description:
          'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.',
      });
    }
    if (input.priority !== undefined) {
      if (!['low', 'normal', 'high', 'urgent', null].includes(input.priority as string | null)) {
        return res.status(422).json({ error: 'RecordInvalid', description: `priority is invalid` });
      }
      ticket.priority = input.priority as FakeTicket['priority'];
    }
    if (Array.isArray(input.tags)) ticket.tags = [...new Set(input.tags as string[])];
    if (Array.isArray(input.additional_tags)) {
      ticket.tags = [...new Set([...ticket.tags, ...(input.additional_tags as string[])])];
    }
    if (Array.isArray(input.remove_tags)) {
      const drop = new Set(input.remove_tags as string[]);
      ticket.tags = ticket.tags.filter((t) => !drop.has(t));
    }
    if (Array.isArray(input.custom_fields)) {
      for (const field of input.custom_fields as { id: number; value: string | null }[]) {
        const existing = ticket.custom_fields.find((f) => f.id === Number(field.id));
        if (existing) existing.value = field.value;
        else ticket.custom_fields.push({ id: Number(field.id), value: field.value });
      }
    }
    const comment = input.comment as { body?: string; public?: boolean } | undefined;
    if (comment?.body) {
      ticket.comments.push({
        id: this.nextCommentId++,
        body: comment.body,
        public: comment.public !== false,
        created_at: this.clock().toISOString(),
      });
    }
    ticket.updated_at = this.touched(ticket.updated_at);
    if (res.locals.faultAfterApply) {
      this.onTicketUpdated?.(ticket); // the update stays applied, whatever the caller hears
      this.faulted(res);
      return;
    }
    res.json({
      ticket: this.render(ticket),
      audit: { ticket_id: ticket.id, created_at: ticket.updated_at },
    });
    this.onTicketUpdated?.(ticket);
  }

  /** Answers a write that landed with the injected fault, if any; true when it did. */
  private faulted(res: Response): boolean {
    const fault = res.locals.faultAfterApply as Fault | undefined;
    if (!fault) return false;
    if (!fault.hang) {
      res
        .status(fault.status)
        .json({ error: 'InternalServerError', description: 'Something went wrong' });
    }
    return true;
  }

  private newWebhookId(): string {
    // Zendesk's webhook ids are ULIDs (26 characters, Crockford base32).
    return `01FAKE${String(this.nextId++).padStart(20, '0')}`;
  }

  /**
   * The onboarding endpoints: Webhooks API (list with filter[name_contains] and cursor pages,
   * create, show, update, patch, delete, signing secret, test), Triggers, Ticket Fields and
   * users/me. https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/
   */
  private routeSetup(app: express.Express) {
    const notFound = (res: Response) =>
      res.status(404).json({ error: 'RecordNotFound', description: 'Not found' });

    app.get('/api/v2/users/me.json', (req, res) => {
      // Zendesk answers a caller without credentials as the anonymous user, not with a 401.
      const me = req.headers.authorization ? this.me : { id: null, role: 'end-user', email: null };
      res.json({ user: { ...me, name: me.id === null ? 'Anonymous user' : 'Admin' } });
    });

    app.get('/api/v2/webhooks', (req, res) => {
      // express 5 parses the query flat: keys arrive as 'filter[name_contains]', 'page[size]'.
      const q = req.query as Record<string, string | undefined>;
      const filter = { name_contains: q['filter[name_contains]'] };
      const page = { size: q['page[size]'], after: q['page[after]'] };
      const size = Math.min(Number(page.size ?? 20), 100);
      const all = [...this.webhooks.values()]
        .filter((w) => !filter.name_contains || w.name.includes(filter.name_contains))
        .sort((a, b) => a.id.localeCompare(b.id));
      const start = page.after ? all.findIndex((w) => w.id === page.after) + 1 : 0;
      const webhooks = all.slice(start, start + size);
      const hasMore = start + size < all.length;
      res.json({
        webhooks,
        meta: {
          has_more: hasMore,
          after_cursor: hasMore ? webhooks.at(-1)?.id : null,
          before_cursor: null,
        },
        links: { next: null, prev: null },
      });
    });
    app.post('/api/v2/webhooks/test', async (req, res) => {
      const request = (req.body?.request ?? {}) as { endpoint?: string; payload?: string };
      const existing = this.webhooks.get(String(req.query.webhook_id ?? ''));
      const endpoint = request.endpoint ?? existing?.endpoint;
      if (!endpoint) return res.status(400).json({ error: 'InvalidEndpoint' });
      try {
        const answer = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: request.payload ?? '{}',
          signal: AbortSignal.timeout(5000),
        });
        const body = await answer.text();
        res.json({ response: { status: answer.status, headers: [], body } });
      } catch {
        res.json({ response: { status: 0, headers: [], body: '' } });
      }
    });
    app.post('/api/v2/webhooks', (req, res) => {
      const input = req.body?.webhook as Partial<FakeWebhook> | undefined;
      if (!input?.name || !input.endpoint || !input.http_method || !input.request_format) {
        return res
          .status(400)
          .json({ errors: [{ code: 'InvalidInput', title: 'missing fields' }] });
      }
      const webhook: FakeWebhook = {
        id: this.newWebhookId(),
        name: input.name,
        endpoint: input.endpoint,
        http_method: input.http_method,
        request_format: input.request_format,
        status: input.status ?? 'active',
        subscriptions: input.subscriptions ?? [],
        created_at: this.now(),
      };
      this.webhooks.set(webhook.id, webhook);
      this.signingSecrets.set(webhook.id, randomBytes(32).toString('base64'));
      if (this.faulted(res)) return;
      res.status(201).json({ webhook });
    });
    app.get('/api/v2/webhooks/:id', (req, res) => {
      const webhook = this.webhooks.get(String(req.params.id));
      return webhook ? res.json({ webhook }) : notFound(res);
    });
    const updateWebhook = (req: Request, res: Response) => {
      const webhook = this.webhooks.get(String(req.params.id));
      if (!webhook) return notFound(res);
      const input = (req.body?.webhook ?? {}) as Partial<FakeWebhook>;
      for (const key of ['name', 'endpoint', 'http_method', 'request_format', 'status'] as const) {
        if (input[key] !== undefined) webhook[key] = input[key];
      }
      if (input.subscriptions) webhook.subscriptions = input.subscriptions;
      if (this.faulted(res)) return;
      res.status(204).end();
    };
    app.put('/api/v2/webhooks/:id', updateWebhook);
    app.patch('/api/v2/webhooks/:id', updateWebhook);
    app.delete('/api/v2/webhooks/:id', (req, res) => {
      const id = String(req.params.id);
      if (!this.webhooks.delete(id)) return notFound(res);
      this.signingSecrets.delete(id);
      res.status(204).end();
    });
    app.get('/api/v2/webhooks/:id/signing_secret', (req, res) => {
      const secret = this.signingSecrets.get(String(req.params.id));
      if (!secret) return notFound(res);
      res.json({ signing_secret: { algorithm: 'sha256', secret } });
    });

    // Triggers (https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/).
    app.get('/api/v2/triggers.json', (req, res) => {
      const all = [...this.triggers.values()].sort((a, b) => a.position - b.position);
      const pageNumber = Math.max(1, Number(req.query.page ?? 1));
      const size = this.triggerPageSize;
      const triggers = all.slice((pageNumber - 1) * size, pageNumber * size);
      const more = pageNumber * size < all.length;
      res.json({
        triggers,
        next_page: more ? `${this.baseUrl}/api/v2/triggers.json?page=${pageNumber + 1}` : null,
        previous_page: null,
        count: all.length,
      });
    });
    app.post('/api/v2/triggers.json', (req, res) => {
      const input = req.body?.trigger as Partial<FakeTrigger> | undefined;
      if (!input?.title || !input.conditions || !Array.isArray(input.actions)) {
        return res
          .status(422)
          .json({ error: 'RecordInvalid', description: 'Record validation errors' });
      }
      const trigger: FakeTrigger = {
        id: this.nextId++,
        title: input.title,
        active: input.active ?? true,
        position: this.triggers.size + 1,
        conditions: { all: input.conditions.all ?? [], any: input.conditions.any ?? [] },
        actions: input.actions,
        description: input.description ?? null,
      };
      this.triggers.set(trigger.id, trigger);
      if (this.faulted(res)) return;
      res.status(201).json({ trigger });
    });
    app.get('/api/v2/triggers/:id.json', (req, res) => {
      const trigger = this.triggers.get(Number(req.params.id));
      return trigger ? res.json({ trigger }) : notFound(res);
    });
    app.put('/api/v2/triggers/:id.json', (req, res) => {
      const trigger = this.triggers.get(Number(req.params.id));
      if (!trigger) return notFound(res);
      const input = (req.body?.trigger ?? {}) as Partial<FakeTrigger>;
      if (input.title !== undefined) trigger.title = input.title;
      if (input.active !== undefined) trigger.active = input.active;
      if (input.conditions) {
        trigger.conditions = { all: input.conditions.all ?? [], any: input.conditions.any ?? [] };
      }
      if (input.actions) trigger.actions = input.actions;
      if (this.faulted(res)) return;
      res.json({ trigger });
    });
    app.delete('/api/v2/triggers/:id.json', (req, res) => {
      if (!this.triggers.delete(Number(req.params.id))) return notFound(res);
      res.status(204).end();
    });

    // Ticket fields (https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/).
    app.get('/api/v2/ticket_fields.json', (_req, res) => {
      res.json({
        ticket_fields: [...this.ticketFields.values()],
        next_page: null,
        previous_page: null,
        count: this.ticketFields.size,
      });
    });
    app.post('/api/v2/ticket_fields.json', (req, res) => {
      const input = req.body?.ticket_field as Partial<FakeTicketField> | undefined;
      if (!input?.type || !input.title) {
        return res.status(422).json({ error: 'RecordInvalid', description: 'type and title' });
      }
      const field: FakeTicketField = {
        id: this.nextId++,
        type: input.type,
        title: input.title,
        description: input.description ?? '',
        active: input.active ?? true,
      };
      this.ticketFields.set(field.id, field);
      if (this.faulted(res)) return;
      res.status(201).json({ ticket_field: field });
    });
    app.get('/api/v2/ticket_fields/:id.json', (req, res) => {
      const field = this.ticketFields.get(Number(req.params.id));
      return field ? res.json({ ticket_field: field }) : notFound(res);
    });
  }
}
