import express, { type NextFunction, type Request, type Response } from 'express';
import { FakeServer, stamp, type RecordedRequest } from './fake-server.js';

/**
 * A local stand-in for one Help Scout account's Mailbox API 2.0, on loopback: the real paths
 * and HAL shapes of the OAuth2 token endpoint (client-credentials, expiring tokens), Get
 * Conversation (embed=threads), List Conversations (25 a page, status, createdAt range query,
 * modifiedSince, sort), List Threads (50 a page, newest first), Update Tags and Update Custom Fields (both replace-all, 204), Create Note
 * (201 + Resource-ID), Get Customer and Get Organization; Webhooks (list, get without the secret,
 * create 201 + Resource-ID, update 204, delete 204), List Mailboxes, List Mailbox Custom Fields
 * and Get Resource Owner (users/me); the rate-limit headers on every answer; and fault
 * injection (429 with X-RateLimit-Retry-After, 500, a write done but answered 500, expired
 * tokens, a concurrent agent acting between two requests).
 * Docs: https://developer.helpscout.com/mailbox-api/
 */

export interface FakeThread {
  id: number;
  type: 'customer' | 'reply' | 'note' | 'message' | 'chat' | 'lineitem';
  state: 'published' | 'draft';
  body: string;
  createdAt: string;
  createdBy: { id: number; type: 'user' | 'customer'; email: string };
}

export interface FakeConversation {
  id: number;
  number: number;
  type: 'email' | 'chat' | 'phone';
  status: 'active' | 'pending' | 'closed' | 'spam';
  subject: string;
  mailboxId: number;
  createdAt: string;
  userUpdatedAt: string;
  closedAt: string | null;
  tags: string[];
  customFields: { id: number; name: string; value: string }[];
  primaryCustomerId: number;
  threads: FakeThread[];
}

export interface FakeCustomer {
  id: number;
  first: string;
  last: string;
  email: string;
  organizationId: number | null;
}

export interface HelpscoutRequest extends RecordedRequest {
  authorization: string | undefined;
}

export interface FakeWebhook {
  id: number;
  url: string;
  events: string[];
  secret: string;
  label: string | null;
  state: 'enabled' | 'disabled';
  notification: boolean;
  payloadVersion: string;
  mailboxIds: number[];
}

export interface FakeMailbox {
  id: number;
  name: string;
  /** Custom fields; `type` as v2 renders it (lower case: date, dropdown, singleline…). */
  fields: { id: number; name: string; type: string }[];
}

type Fault = { status: 429 | 500 | 503; times: number; retryAfter?: number; method?: string };
type Hook = { method: string; path: RegExp; run: () => void };

export class FakeHelpscout extends FakeServer<HelpscoutRequest> {
  readonly conversations = new Map<number, FakeConversation>();
  readonly customers = new Map<number, FakeCustomer>();
  readonly organizations = new Map<number, { id: number; name: string; domains: string[] }>();
  readonly webhooks = new Map<number, FakeWebhook>();
  readonly mailboxes = new Map<number, FakeMailbox>();
  /** The user the OAuth app acts as (Get Resource Owner). */
  me = { id: 4, firstName: 'Vernon', lastName: 'Bear', email: 'bear@acme.example', role: 'owner' };
  /** List Conversations pages (1-based) that fail with a status, once each. */
  readonly failListPages = new Map<number, 500 | 503>();
  private nextWebhookId = 700;
  private doneButFailing: { method: string; path: RegExp; status: number }[] = [];
  /** The OAuth2 app the token endpoint accepts. */
  app = { id: 'app-id', secret: 'app-secret' };
  /** Lifetime of issued tokens (Help Scout: 172800 s, two days). */
  tokenTtlSeconds = 172_800;
  private tokens = new Map<string, number>(); // token → expiry (epoch ms)
  private issued = 0;
  private nextThreadId = 5000;
  private faults: Fault[] = [];
  private hooks: Hook[] = [];

  constructor(clock?: () => Date) {
    super('Help Scout', clock);
  }

  /** Tokens issued so far. */
  get tokensIssued(): number {
    return this.issued;
  }

  /** Writes (PUT, POST other than the token endpoint, DELETE) received, oldest first. */
  get writes(): HelpscoutRequest[] {
    return this.requests.filter(
      (r) =>
        (r.method === 'PUT' || r.method === 'POST' || r.method === 'DELETE') &&
        r.path !== '/v2/oauth2/token',
    );
  }

  /**
   * The next `method` request to a path matching `path` is carried out, then answered `status`
   * (a write that succeeded but whose answer says it failed).
   */
  failAfter(method: string, path: RegExp, status = 500): void {
    this.doneButFailing.push({ method, path, status });
  }

  /** A webhook as someone made it in Help Scout (by hand, or another integration). */
  addWebhook(webhook: Partial<FakeWebhook> & { url: string }): FakeWebhook {
    const full: FakeWebhook = {
      id: ++this.nextWebhookId,
      events: ['convo.created'],
      secret: 'hand-made-secret',
      label: null,
      state: 'enabled',
      notification: false,
      payloadVersion: 'V2',
      mailboxIds: [],
      ...webhook,
    };
    this.webhooks.set(full.id, full);
    return full;
  }

  addMailbox(mailbox: FakeMailbox): FakeMailbox {
    this.mailboxes.set(mailbox.id, mailbox);
    return mailbox;
  }

  /** Every token issued so far expires now: the next API call with one gets a 401. */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  /** The next `times` API requests (of `method`, if given) fail with `status`. */
  failNext(status: Fault['status'], times = 1, retryAfter?: number, method?: string): void {
    this.faults.push({ status, times, retryAfter, method });
  }

  /** Runs `run` once, right after the next `method` request to a path matching `path` is answered. */
  after(method: string, path: RegExp, run: () => void): void {
    this.hooks.push({ method, path, run });
  }

  /** The internal notes of a conversation, oldest first. */
  notes(id: number): string[] {
    return (this.conversations.get(id)?.threads ?? [])
      .filter((t) => t.type === 'note')
      .map((t) => t.body);
  }

  addCustomer(customer: Partial<FakeCustomer> & { id: number; email: string }): FakeCustomer {
    const full = { first: 'Pat', last: 'Doe', organizationId: null, ...customer };
    this.customers.set(full.id, full);
    return full;
  }

  addOrganization(org: { id: number; name: string; domains: string[] }) {
    this.organizations.set(org.id, org);
    return org;
  }

  addConversation(
    conversation: Partial<FakeConversation> & { id: number; subject: string },
  ): FakeConversation {
    const now = this.now();
    const full: FakeConversation = {
      number: conversation.id + 100,
      type: 'email',
      status: 'active',
      mailboxId: 13,
      createdAt: now,
      // A conversation filed in the past and untouched since was last updated when filed.
      userUpdatedAt: conversation.createdAt ?? now,
      closedAt: null,
      tags: [],
      customFields: [],
      primaryCustomerId: 1,
      threads: [],
      ...conversation,
    };
    if (full.threads.length === 0) {
      const customer = this.customers.get(full.primaryCustomerId);
      full.threads.push(
        this.thread('customer', full.subject, full.createdAt, {
          id: full.primaryCustomerId,
          type: 'customer',
          email: customer?.email ?? 'someone@example.com',
        }),
      );
    }
    this.conversations.set(full.id, full);
    return full;
  }

  /**
   * Test hook: a reply on conversation `ticketId` at `at`: an agent's public reply (a `reply`
   * thread by a user), an agent's private one (a `note`), or the customer's (a `customer`
   * thread). The conversation's last update moves to `at` if that is later. Answers the
   * thread id as the client reports it.
   */
  addReply(
    ticketId: string,
    reply: { at: string; author: 'agent' | 'customer'; isPublic?: boolean },
  ): string {
    const conversation = this.conversations.get(Number(ticketId));
    if (!conversation) throw new Error(`fake Help Scout: no conversation ${ticketId}`);
    const at = stamp(new Date(reply.at));
    const customer = this.customers.get(conversation.primaryCustomerId);
    const thread =
      reply.author === 'customer'
        ? this.thread('customer', 'customer reply', at, {
            id: conversation.primaryCustomerId,
            type: 'customer',
            email: customer?.email ?? 'someone@example.com',
          })
        : this.thread(reply.isPublic === false ? 'note' : 'reply', 'agent reply', at, {
            id: 4,
            type: 'user',
            email: 'agent@helpscout.example',
          });
    // Threads stay in time order (the API lists them newest first from that order).
    const after = conversation.threads.findIndex((t) => Date.parse(t.createdAt) > Date.parse(at));
    conversation.threads.splice(after < 0 ? conversation.threads.length : after, 0, thread);
    if (Date.parse(at) > Date.parse(conversation.userUpdatedAt)) conversation.userUpdatedAt = at;
    return String(thread.id);
  }

  /** When the conversation was last modified: its creation, last update, closing, newest thread. */
  private modifiedAt(c: FakeConversation): number {
    return Math.max(
      ...[c.createdAt, c.userUpdatedAt, c.closedAt, ...c.threads.map((t) => t.createdAt)]
        .filter((v): v is string => v !== null)
        .map((v) => Date.parse(v)),
    );
  }

  /** An agent (or the customer) adds a thread, as the UI would. */
  addThread(id: number, type: FakeThread['type'], by: FakeThread['createdBy'], body = type) {
    const conversation = this.conversations.get(id)!;
    const at = this.now();
    conversation.threads.push(this.thread(type, body, at, by));
    conversation.userUpdatedAt = at;
    return conversation;
  }

  private thread(
    type: FakeThread['type'],
    body: string,
    createdAt: string,
    createdBy: FakeThread['createdBy'],
  ): FakeThread {
    return { id: ++this.nextThreadId, type, state: 'published', body, createdAt, createdBy };
  }

  /** A conversation as the API (and a webhook body) renders it. */
  render(c: FakeConversation, embedThreads = true) {
    const customer = this.customers.get(c.primaryCustomerId);
    return {
      id: c.id,
      number: c.number,
      threads: c.threads.length,
      type: c.type,
      folderId: 85,
      status: c.status,
      state: 'published',
      subject: c.subject,
      mailboxId: c.mailboxId,
      createdBy: { id: c.primaryCustomerId, type: 'customer', email: customer?.email },
      createdAt: c.createdAt,
      closedAt: c.closedAt,
      userUpdatedAt: c.userUpdatedAt,
      source: { type: 'email', via: 'customer' },
      tags: c.tags.map((tag, i) => ({ id: 9000 + i, color: '#929499', tag })),
      primaryCustomer: {
        id: c.primaryCustomerId,
        type: 'customer',
        first: customer?.first,
        last: customer?.last,
        email: customer?.email,
      },
      customFields: c.customFields.map((f) => ({ ...f, text: f.value })),
      ...(embedThreads && {
        _embedded: { threads: [...c.threads].reverse().map((t) => this.renderThread(t)) },
      }),
      _links: { web: { href: `https://secure.helpscout.net/conversation/${c.id}/${c.number}/` } },
    };
  }

  private renderThread(t: FakeThread) {
    return { ...t, status: 'active', source: { type: 'email', via: t.createdBy.type } };
  }

  async listen(port = 0): Promise<string> {
    const app = express();
    app.use(express.json({ limit: '100kb' }));
    app.use(express.urlencoded({ extended: false }));
    app.use((req, res, next) => this.intercept(req, res, next));
    app.post('/v2/oauth2/token', (req, res) => this.token(req, res));
    app.use('/v2', (req, res, next) => this.authenticate(req, res, next));
    app.get('/v2/users/me', (_req, res) => {
      res.json({ ...this.me, type: 'user', _links: { self: { href: '...' } } });
    });
    app.get('/v2/webhooks', (req, res) => this.listWebhooks(req, res));
    app.post('/v2/webhooks', (req, res) => this.createWebhook(req, res));
    app.get('/v2/webhooks/:id', (req, res) => this.showWebhook(req, res));
    app.put('/v2/webhooks/:id', (req, res) => this.updateWebhook(req, res));
    app.delete('/v2/webhooks/:id', (req, res) => this.deleteWebhook(req, res));
    app.get('/v2/mailboxes', (req, res) => this.listMailboxes(req, res));
    app.get('/v2/mailboxes/:id/fields', (req, res) => this.listFields(req, res));
    app.get('/v2/conversations', (req, res) => this.listConversations(req, res));
    app.get('/v2/conversations/:id', (req, res) => this.show(req, res));
    app.get('/v2/conversations/:id/threads', (req, res) => this.threads(req, res));
    app.put('/v2/conversations/:id/tags', (req, res) => this.putTags(req, res));
    app.put('/v2/conversations/:id/fields', (req, res) => this.putFields(req, res));
    app.post('/v2/conversations/:id/notes', (req, res) => this.note(req, res));
    app.get('/v2/customers/:id', (req, res) => this.customer(req, res));
    app.get('/v2/organizations/:id', (req, res) => this.organization(req, res));
    app.use((_req, res) => {
      res.status(404).json({ message: 'Not Found' });
    });
    return this.serve(app, port);
  }

  /** Recording, rate-limit headers, injected faults, and the after-request hooks. */
  private intercept(req: Request, res: Response, next: NextFunction) {
    const path = req.originalUrl.split('?')[0]!; // req.path loses the /v2 mount on the way
    this.record(req, res, { authorization: req.headers.authorization }, path);
    res.on('finish', () => {
      const i = this.hooks.findIndex((h) => h.method === req.method && h.path.test(path));
      if (i >= 0 && res.statusCode < 300) this.hooks.splice(i, 1)[0]!.run();
    });
    const late = this.doneButFailing.findIndex((f) => f.method === req.method && f.path.test(path));
    if (late >= 0) {
      const { status } = this.doneButFailing.splice(late, 1)[0]!;
      // The route runs; its answer is replaced by the failure.
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
      (res as unknown as { writeHead: unknown }).writeHead = (_code: number, ...rest: unknown[]) =>
        writeHead(status, ...rest.filter((r) => typeof r !== 'string'));
    }
    res.set('X-RateLimit-Limit-Minute', '200');
    res.set('X-RateLimit-Remaining-Minute', '199');
    const fault = this.faults[0];
    if (fault && path !== '/v2/oauth2/token' && (!fault.method || fault.method === req.method)) {
      if (--fault.times <= 0) this.faults.shift();
      if (fault.status === 429) {
        res.set('X-RateLimit-Remaining-Minute', '0');
        res.set('X-RateLimit-Retry-After', String(fault.retryAfter ?? 60));
        res.status(429).json({ message: 'Too many requests' });
        return;
      }
      res.status(fault.status).json({ message: 'Internal error' });
      return;
    }
    next();
  }

  private token(req: Request, res: Response) {
    const body = req.body as Record<string, string>;
    if (body.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type' });
      return;
    }
    if (body.client_id !== this.app.id || body.client_secret !== this.app.secret) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    const token = `fake-token-${++this.issued}`;
    this.tokens.set(token, this.clock().getTime() + this.tokenTtlSeconds * 1000);
    res.json({ token_type: 'bearer', access_token: token, expires_in: this.tokenTtlSeconds });
  }

  private authenticate(req: Request, res: Response, next: NextFunction) {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiry = token ? this.tokens.get(token) : undefined;
    if (expiry === undefined || expiry <= this.clock().getTime()) {
      res.status(401).json({ error: 'invalid_token', message: 'Access token expired' });
      return;
    }
    next();
  }

  private find(req: Request, res: Response): FakeConversation | null {
    const conversation = this.conversations.get(Number(req.params.id));
    if (!conversation) res.status(404).json({ message: 'Conversation not found' });
    return conversation ?? null;
  }

  private show(req: Request, res: Response) {
    const c = this.find(req, res);
    if (c)
      res.json(
        this.render(
          c,
          String(req.query.embed ?? '')
            .split(',')
            .includes('threads'),
        ),
      );
  }

  private threads(req: Request, res: Response) {
    const c = this.find(req, res);
    if (!c) return;
    const all = [...c.threads].reverse().map((t) => this.renderThread(t));
    const size = 50;
    const number = Number(req.query.page ?? 1);
    const totalPages = Math.max(1, Math.ceil(all.length / size));
    res.json({
      _embedded: { threads: all.slice((number - 1) * size, number * size) },
      page: { size, totalElements: all.length, totalPages, number },
    });
  }

  private putTags(req: Request, res: Response) {
    const c = this.find(req, res);
    if (!c) return;
    const tags = (req.body as { tags?: unknown }).tags;
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) {
      res.status(400).json({ message: 'tags must be a list of strings' });
      return;
    }
    c.tags = [...new Set(tags.map((t: string) => t.toLowerCase()))];
    res.status(204).end();
  }

  private putFields(req: Request, res: Response) {
    const c = this.find(req, res);
    if (!c) return;
    const fields = (req.body as { fields?: unknown }).fields;
    const valid =
      Array.isArray(fields) &&
      fields.every(
        (f: { id?: unknown; value?: unknown }) =>
          typeof f.id === 'number' && typeof f.value === 'string',
      );
    if (!valid) {
      res.status(400).json({ message: 'fields must be a list of {id, value}' });
      return;
    }
    const bad = (fields as { id: number; value: string }[]).find(
      (f) => this.isDateField(f.id) && !/^\d{4}-\d{2}-\d{2}$/.test(f.value),
    );
    if (bad) {
      res.status(400).json({ message: `field ${bad.id}: date must be YYYY-MM-DD` });
      return;
    }
    c.customFields = (fields as { id: number; value: string }[]).map((f) => ({
      id: f.id,
      name: `Field ${f.id}`,
      value: f.value,
    }));
    res.status(204).end();
  }

  /** Fields the fake treats as Date fields (YYYY-MM-DD only). */
  readonly dateFields = new Set<number>();
  private isDateField(id: number) {
    return this.dateFields.has(id);
  }

  private note(req: Request, res: Response) {
    const c = this.find(req, res);
    if (!c) return;
    const text = (req.body as { text?: unknown }).text;
    if (typeof text !== 'string' || text === '') {
      res.status(400).json({ message: 'text is required' });
      return;
    }
    if (c.threads.length >= 100) {
      res.status(412).json({ message: 'Conversation has reached the thread limit' });
      return;
    }
    const t = this.thread('note', text, this.now(), {
      id: 4,
      type: 'user',
      email: 'api@helpscout.example',
    });
    c.threads.push(t);
    res.status(201).set('Resource-ID', String(t.id)).end();
  }

  private customer(req: Request, res: Response) {
    const customer = this.customers.get(Number(req.params.id));
    if (!customer) return res.status(404).json({ message: 'Customer not found' });
    const org = customer.organizationId ? this.organizations.get(customer.organizationId) : null;
    res.json({
      id: customer.id,
      firstName: customer.first,
      lastName: customer.last,
      organization: org?.name ?? null,
      organizationId: customer.organizationId,
      _embedded: { emails: [{ id: 1, value: customer.email, type: 'work' }] },
    });
  }

  private organization(req: Request, res: Response) {
    const org = this.organizations.get(Number(req.params.id));
    if (!org) return res.status(404).json({ message: 'Organization not found' });
    res.json(org);
  }

  /** A HAL page of `items` (`size` a page, `page` from the query). */
  private halPage<T>(req: Request, key: string, items: T[], size = 50) {
    const number = Math.max(1, Number(req.query.page ?? 1));
    const totalPages = Math.max(1, Math.ceil(items.length / size));
    return {
      _embedded: { [key]: items.slice((number - 1) * size, number * size) },
      _links: { self: { href: '...' } },
      page: { size, totalElements: items.length, totalPages, number },
    };
  }

  /** A webhook as the API renders it: never the secret. */
  private renderWebhook({ secret: _secret, ...w }: FakeWebhook) {
    return { ...w, _links: { self: { href: `${this.baseUrl}/v2/webhooks/${w.id}` } } };
  }

  /** The body of Create / Update Webhook, checked as Help Scout documents it; null: answered 400. */
  private webhookInput(req: Request, res: Response) {
    const body = req.body as Record<string, unknown>;
    const problems: string[] = [];
    if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) problems.push('url');
    if (!Array.isArray(body.events) || body.events.length === 0) problems.push('events');
    if (typeof body.secret !== 'string' || body.secret === '' || body.secret.length > 40) {
      problems.push('secret (required, at most 40 characters)');
    }
    if (body.payloadVersion !== undefined && body.payloadVersion !== 'V2') {
      problems.push('payloadVersion');
    }
    if (problems.length) {
      res.status(400).json({ message: `invalid webhook: ${problems.join(', ')}` });
      return null;
    }
    return {
      url: body.url as string,
      events: body.events as string[],
      secret: body.secret as string,
      label: typeof body.label === 'string' ? body.label : null,
      notification: body.notification === true,
      payloadVersion: 'V2',
      mailboxIds: Array.isArray(body.mailboxIds) ? (body.mailboxIds as number[]) : [],
    };
  }

  private listWebhooks(req: Request, res: Response) {
    const all = [...this.webhooks.values()].map((w) => this.renderWebhook(w));
    res.json(this.halPage(req, 'webhooks', all));
  }

  private createWebhook(req: Request, res: Response) {
    const input = this.webhookInput(req, res);
    if (!input) return;
    const webhook: FakeWebhook = { id: ++this.nextWebhookId, state: 'enabled', ...input };
    this.webhooks.set(webhook.id, webhook);
    res
      .status(201)
      .set('Resource-ID', String(webhook.id))
      .set('Location', `${this.baseUrl}/v2/webhooks/${webhook.id}`)
      .end();
  }

  private findWebhook(req: Request, res: Response): FakeWebhook | null {
    const webhook = this.webhooks.get(Number(req.params.id));
    if (!webhook) res.status(404).json({ message: 'Webhook not found' });
    return webhook ?? null;
  }

  private showWebhook(req: Request, res: Response) {
    const webhook = this.findWebhook(req, res);
    if (webhook) res.json(this.renderWebhook(webhook));
  }

  /** Replaces the whole webhook (its state stays). */
  private updateWebhook(req: Request, res: Response) {
    const webhook = this.findWebhook(req, res);
    if (!webhook) return;
    const input = this.webhookInput(req, res);
    if (!input) return;
    Object.assign(webhook, input);
    res.status(204).end();
  }

  private deleteWebhook(req: Request, res: Response) {
    const webhook = this.findWebhook(req, res);
    if (!webhook) return;
    this.webhooks.delete(webhook.id);
    res.status(204).end();
  }

  private listMailboxes(req: Request, res: Response) {
    const all = [...this.mailboxes.values()].map(({ fields: _f, ...m }) => m);
    res.json(this.halPage(req, 'mailboxes', all));
  }

  private listFields(req: Request, res: Response) {
    const mailbox = this.mailboxes.get(Number(req.params.id));
    if (!mailbox) return res.status(404).json({ message: 'Mailbox not found' });
    const fields = mailbox.fields.map((f, i) => ({ ...f, required: false, order: i + 1 }));
    res.json(this.halPage(req, 'fields', fields));
  }

  /**
   * List Conversations: status (default active; all), the query `(createdAt:[<iso> TO *])`,
   * modifiedSince (an ISO date-time: conversations modified after it), sortField=createdAt with
   * sortOrder asc/desc (default desc), 25 a page, embed=threads.
   */
  private listConversations(req: Request, res: Response) {
    const page = Math.max(1, Number(req.query.page ?? 1));
    const failure = this.failListPages.get(page);
    if (failure) {
      this.failListPages.delete(page);
      res.status(failure).json({ message: 'Internal error' });
      return;
    }
    const status = String(req.query.status ?? 'active');
    const query = String(req.query.query ?? '');
    let from = -Infinity;
    if (query) {
      const range = /^\(createdAt:\[(\S+) TO \*\]\)$/.exec(query);
      if (!range || Number.isNaN(Date.parse(range[1]!))) {
        res.status(400).json({ message: `query not understood by the fake: ${query}` });
        return;
      }
      from = Date.parse(range[1]!);
    }
    let modifiedAfter = -Infinity;
    if (req.query.modifiedSince !== undefined) {
      const since = String(req.query.modifiedSince);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(since)) {
        res.status(400).json({ message: `modifiedSince is not an ISO date-time: ${since}` });
        return;
      }
      modifiedAfter = Date.parse(since);
    }
    const order = req.query.sortOrder === 'asc' ? 1 : -1;
    const embed = String(req.query.embed ?? '')
      .split(',')
      .includes('threads');
    const all = [...this.conversations.values()]
      .filter((c) => status === 'all' || c.status === status)
      .filter((c) => Date.parse(c.createdAt) >= from)
      .filter((c) => this.modifiedAt(c) > modifiedAfter)
      .sort((a, b) => order * (Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id))
      .map((c) => this.render(c, embed));
    res.json(this.halPage(req, 'conversations', all, 25));
  }
}
