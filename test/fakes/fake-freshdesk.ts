import express, { type NextFunction, type Request, type Response } from 'express';
import { FakeServer, stamp, type RecordedRequest } from './fake-server.js';

/**
 * A local stand-in for one Freshdesk account's REST API, on loopback: the real paths and shapes
 * of View a Ticket (include=company,requester,stats), Update a Ticket (tags replace the list;
 * priority 1–4; fr_due_by/due_by with Freshdesk's validation: not on Resolved/Closed, after
 * created_at, fr_due_by ≤ due_by), Create a Note, List All Conversations of a Ticket (replies
 * and notes; addReply seeds them), List All Tickets (updated_since, created_at order, the page
 * cap) and View a Company; API-key basic auth; the X-RateLimit-* headers on every answer and
 * 429 with Retry-After; request recording and fault injection.
 * Docs: https://developers.freshdesk.com/api/
 */

export interface FakeFreshdeskTicket {
  id: number;
  subject: string;
  description_text: string;
  /** 2 Open, 3 Pending, 4 Resolved, 5 Closed, 6+ custom. */
  status: number;
  /** 1 Low, 2 Medium, 3 High, 4 Urgent. */
  priority: number;
  source: number;
  type: string | null;
  tags: string[];
  requester_id: number;
  company_id: number | null;
  product_id: number | null;
  fr_due_by: string;
  due_by: string;
  created_at: string;
  updated_at: string;
  custom_fields: Record<string, unknown>;
  first_responded_at: string | null;
}

export interface FakeConversation {
  id: number;
  body: string;
  body_text: string;
  private: boolean;
  incoming: boolean;
  source: number;
  user_id: number;
  ticket_id: number;
  created_at: string;
  updated_at: string;
}

export interface FakeFreshdeskCompany {
  id: number;
  name: string;
  domains: string[];
  custom_fields: Record<string, string | number | boolean | null>;
}

/** An automation rule as Freshdesk keeps it (List / View an Automation Rule). */
export interface FakeAutomationRule {
  id: number;
  automation_type_id: number;
  name: string;
  position: number;
  active: boolean;
  performer?: { type: number; members?: number[] };
  events?: Record<string, unknown>[];
  conditions: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  created_at: string;
  updated_at: string;
}

type Fault = {
  status: 409 | 412 | 429 | 500 | 503;
  retryAfter?: number;
  times: number;
  method?: string;
  afterApply?: boolean;
  hang?: boolean;
};

const STATUS_LABELS: Record<number, string> = {
  2: 'Open',
  3: 'Pending',
  4: 'Resolved',
  5: 'Closed',
};
const PRIORITY_LABELS: Record<number, string> = { 1: 'Low', 2: 'Medium', 3: 'High', 4: 'Urgent' };

export class FakeFreshdesk extends FakeServer {
  readonly tickets = new Map<number, FakeFreshdeskTicket>();
  readonly companies = new Map<number, FakeFreshdeskCompany>();
  readonly contacts = new Map<number, { id: number; email: string; name: string }>();
  readonly conversations = new Map<number, FakeConversation[]>();
  /** Automation rules by id (all types). */
  readonly rules = new Map<number, FakeAutomationRule>();
  /** The agent whose API key this is (View Me). */
  agent = { id: 77, email: 'admin@acme.example', name: 'Ada Admin' };
  private nextRuleId = 9000;
  /** List All Tickets pages (by number) that answer with this status instead. */
  readonly failListPages = new Map<number, number>();
  /** The highest page number List All Tickets answers. */
  listPageCap = 300;
  /** Calls allowed a minute, as X-RateLimit-Total reports it (not enforced). */
  rateLimitTotal = 400;
  private used = 0;
  private faults: Fault[] = [];
  private concurrentSaves: ((tagsBefore: string[]) => string[])[] = [];
  private nextConversationId = 5000;

  constructor(
    readonly apiKey = 'fd-api-key',
    clock?: () => Date,
  ) {
    super('Freshdesk', clock);
  }

  /** Writes (PUT ticket, POST note) received, newest last. */
  get writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'PUT' || r.method === 'POST');
  }

  /** Private notes of a ticket, oldest first (their text). */
  notes(ticketId: number): string[] {
    return (this.conversations.get(ticketId) ?? [])
      .filter((c) => c.private)
      .map((c) => c.body_text);
  }

  /** The next `times` requests (of `method`) fail with `status` (Retry-After seconds for 429). */
  failNext(
    status: Fault['status'],
    times = 1,
    retryAfter?: number,
    method?: 'GET' | 'PUT' | 'POST',
  ) {
    this.faults.push({ status, times, retryAfter, method });
  }

  /** The next `times` writes of `method` are applied, then answered with `status` (or never). */
  failAfterApplying(
    status: 500 | 503 = 500,
    times = 1,
    options: { hang?: boolean; method?: 'PUT' | 'POST' } = {},
  ) {
    this.faults.push({
      status,
      times,
      method: options.method ?? 'PUT',
      afterApply: true,
      hang: options.hang,
    });
  }

  /**
   * An agent's save that races the next ticket update: it lands just after it, with the tags the
   * agent's form had (the ticket's tags before that update, changed by `edit`), so it drops
   * whatever that update added — Freshdesk replaces the whole list and has no lock.
   */
  agentSavesDuringNextUpdate(edit: (tagsBefore: string[]) => string[]) {
    this.concurrentSaves.push(edit);
  }

  addCompany(company: Partial<FakeFreshdeskCompany> & { id: number }): FakeFreshdeskCompany {
    const full = { name: `Company ${company.id}`, domains: [], custom_fields: {}, ...company };
    this.companies.set(full.id, full);
    return full;
  }

  addTicket(ticket: Partial<FakeFreshdeskTicket> & { id: number; subject: string }) {
    const now = this.clock();
    const full: FakeFreshdeskTicket = {
      description_text: ticket.subject,
      status: 2,
      priority: 2,
      source: 1,
      type: null,
      tags: [],
      requester_id: 1,
      company_id: null,
      product_id: null,
      created_at: stamp(now),
      updated_at: stamp(now),
      // Freshdesk's own SLA policy sets these on creation.
      fr_due_by: stamp(new Date(now.getTime() + 24 * 3600_000)),
      due_by: stamp(new Date(now.getTime() + 72 * 3600_000)),
      custom_fields: {},
      first_responded_at: null,
      ...ticket,
    };
    this.tickets.set(full.id, full);
    return full;
  }

  /**
   * A conversation of a ticket, as List All Conversations gives it: an agent's public reply
   * (`source` 0 Reply, `incoming` false), a customer's reply (`source` 0, `incoming` true), or,
   * when not public, a private note (`source` 2). Returns its id as the client reports it. The
   * ticket's updated_at moves to `at` when that is later.
   */
  addReply(
    ticketId: string,
    reply: { at: string; author: 'agent' | 'customer'; isPublic?: boolean },
  ): string {
    const ticket = this.tickets.get(Number(ticketId));
    if (!ticket) throw new Error(`fake Freshdesk: no ticket ${ticketId}`);
    const at = stamp(new Date(reply.at));
    const isPublic = reply.isPublic ?? true;
    const text = `${reply.author} ${isPublic ? 'reply' : 'note'} at ${at}`;
    const conversation: FakeConversation = {
      id: ++this.nextConversationId,
      body: `<div>${text}</div>`,
      body_text: text,
      private: !isPublic,
      incoming: reply.author === 'customer',
      source: isPublic ? 0 : 2,
      user_id: reply.author === 'agent' ? this.agent.id : ticket.requester_id,
      ticket_id: ticket.id,
      created_at: at,
      updated_at: at,
    };
    const list = this.conversations.get(ticket.id) ?? [];
    list.push(conversation);
    this.conversations.set(ticket.id, list);
    if (Date.parse(at) > Date.parse(ticket.updated_at)) ticket.updated_at = at;
    return String(conversation.id);
  }

  /** The rules of one automation type, in position order. */
  rulesOf(type: number): FakeAutomationRule[] {
    return [...this.rules.values()]
      .filter((r) => r.automation_type_id === type)
      .sort((a, b) => a.position - b.position);
  }

  /** A rule made in Freshdesk's UI (by an admin, not deskplan). */
  addRule(rule: Partial<FakeAutomationRule> & { automation_type_id: number; name: string }) {
    const now = this.now();
    const full: FakeAutomationRule = {
      id: ++this.nextRuleId,
      position: this.rulesOf(rule.automation_type_id).length + 1,
      active: true,
      conditions: [],
      actions: [{ field_name: 'priority', value: 3 }],
      created_at: now,
      updated_at: now,
      ...rule,
    };
    this.rules.set(full.id, full);
    return full;
  }

  async listen(port = 0): Promise<string> {
    const app = express();
    app.use(express.json({ limit: '2mb' }));
    app.use((req, res, next) => this.front(req, res, next));
    app.get('/api/v2/tickets', (req, res) => this.listTickets(req, res));
    app.get('/api/v2/tickets/:id', (req, res) => this.view(req, res));
    app.put('/api/v2/tickets/:id', (req, res) => this.update(req, res));
    app.post('/api/v2/tickets/:id/notes', (req, res) => this.note(req, res));
    app.get('/api/v2/tickets/:id/conversations', (req, res) => this.list(req, res));
    app.get('/api/v2/companies/:id', (req, res) => {
      const company = this.companies.get(Number(req.params.id));
      if (!company) return res.status(404).end();
      res.json({ ...company, description: null, created_at: this.now() });
    });
    app.get('/api/v2/agents/me', (_req, res) =>
      res.json({
        id: this.agent.id,
        available: true,
        occasional: false,
        ticket_scope: 1,
        type: 'support_agent',
        contact: { active: true, email: this.agent.email, name: this.agent.name, language: 'en' },
        created_at: this.now(),
        updated_at: this.now(),
      }),
    );
    app.get('/api/v2/automations/:type/rules', (req, res) => this.listRules(req, res));
    app.post('/api/v2/automations/:type/rules', (req, res) => this.saveRule(req, res, null));
    app.get('/api/v2/automations/:type/rules/:id', (req, res) => {
      const rule = this.ruleAt(req);
      if (!rule) return res.status(404).json({ code: 'not_found' });
      res.json(rule);
    });
    app.put('/api/v2/automations/:type/rules/:id', (req, res) => {
      const rule = this.ruleAt(req);
      if (!rule) return res.status(404).json({ code: 'not_found' });
      this.saveRule(req, res, rule);
    });
    app.delete('/api/v2/automations/:type/rules/:id', (req, res) => {
      const rule = this.ruleAt(req);
      if (!rule) return res.status(404).json({ code: 'not_found' });
      this.rules.delete(rule.id);
      res.status(204).end();
    });
    app.use((_req, res) => res.status(404).end());
    return this.serve(app, port);
  }

  /** A ticket as View a Ticket returns it (with the includes asked for). */
  render(ticket: FakeFreshdeskTicket, include: string[] = []) {
    const { first_responded_at, description_text, ...rest } = ticket;
    const body: Record<string, unknown> = {
      ...rest,
      description: `<div>${description_text}</div>`,
      description_text,
      cc_emails: [],
      fwd_emails: [],
      reply_cc_emails: [],
      fr_escalated: false,
      spam: false,
      is_escalated: false,
      group_id: null,
      responder_id: null,
      email_config_id: null,
      to_emails: null,
      attachments: [],
    };
    if (include.includes('company')) {
      const company = ticket.company_id ? this.companies.get(ticket.company_id) : undefined;
      body.company = company ? { id: company.id, name: company.name } : {};
    }
    if (include.includes('requester')) {
      const contact = this.contacts.get(ticket.requester_id);
      body.requester = contact ? { ...contact, mobile: null, phone: null } : {};
    }
    if (include.includes('stats')) {
      body.stats = {
        agent_responded_at: first_responded_at,
        requester_responded_at: null,
        first_responded_at,
        status_updated_at: ticket.updated_at,
        reopened_at: null,
        resolved_at: null,
        closed_at: null,
        pending_since: null,
      };
    }
    return body;
  }

  /** Auth, rate-limit headers, recording, faults, in that order. */
  private front(req: Request, res: Response, next: NextFunction) {
    this.record(req, res, {});
    this.used++;
    res.set({
      'X-RateLimit-Total': String(this.rateLimitTotal),
      'X-RateLimit-Remaining': String(Math.max(0, this.rateLimitTotal - this.used)),
      'X-RateLimit-Used-CurrentRequest': '1',
    });
    const expected = `Basic ${Buffer.from(`${this.apiKey}:X`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return res.status(401).json({
        code: 'invalid_credentials',
        message: 'You have to be logged in to perform this action.',
      });
    }
    const fault = this.faults[0];
    if (fault && (!fault.method || fault.method === req.method)) {
      if (--fault.times <= 0) this.faults.shift();
      if (fault.afterApply) {
        res.locals.faultAfterApply = fault;
        return next();
      }
      if (fault.retryAfter !== undefined) res.set('Retry-After', String(fault.retryAfter));
      if (fault.status === 429) res.set('X-RateLimit-Remaining', '0');
      return res
        .status(fault.status)
        .json(
          fault.status === 429
            ? { message: 'You have exceeded the limit of requests per minute' }
            : { code: 'internal_error', message: 'We are facing some issues. Please try again.' },
        );
    }
    next();
  }

  /** Answers a write, unless a fault says it fails after being applied. */
  private answer(res: Response, status: number, body: unknown) {
    const fault = res.locals.faultAfterApply as Fault | undefined;
    if (fault?.hang) return;
    if (fault)
      return res
        .status(fault.status)
        .json({ code: 'internal_error', message: 'Something went wrong' });
    res.status(status).json(body);
  }

  private touch(ticket: FakeFreshdeskTicket) {
    ticket.updated_at = this.touched(ticket.updated_at);
  }

  private view(req: Request, res: Response) {
    const ticket = this.tickets.get(Number(req.params.id));
    if (!ticket) return res.status(404).end();
    const include = String(req.query.include ?? '')
      .split(',')
      .filter(Boolean);
    res.json(this.render(ticket, include));
  }

  private update(req: Request, res: Response) {
    const ticket = this.tickets.get(Number(req.params.id));
    if (!ticket) return res.status(404).end();
    const input = (req.body ?? {}) as Record<string, unknown>;
    const errors: { field: string; message: string; code: string }[] = [];
    if (input.priority !== undefined && ![1, 2, 3, 4].includes(input.priority as number)) {
      errors.push({
        field: 'priority',
        message: 'It should be one of these values: 1,2,3,4',
        code: 'invalid_value',
      });
    }
    if (input.tags !== undefined) {
      const tags = input.tags;
      if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.includes(','))) {
        errors.push({
          field: 'tags',
          message: 'It should be an array of strings without commas',
          code: 'invalid_value',
        });
      }
    }
    const dues = (['fr_due_by', 'due_by'] as const).filter((f) => input[f] !== undefined);
    if (dues.length > 0) {
      if (ticket.status === 4 || ticket.status === 5) {
        for (const field of dues) {
          errors.push({
            field,
            message: 'Parameter cannot be set for a Resolved or Closed ticket',
            code: 'incompatible_field',
          });
        }
      } else {
        const fr = Date.parse(String(input.fr_due_by ?? ticket.fr_due_by));
        const due = Date.parse(String(input.due_by ?? ticket.due_by));
        const created = Date.parse(ticket.created_at);
        if (!Number.isFinite(fr) || !Number.isFinite(due)) {
          errors.push({
            field: dues[0]!,
            message: 'It should be in the date-time format',
            code: 'invalid_date',
          });
        } else {
          if (fr < created)
            errors.push({
              field: 'fr_due_by',
              message: 'It should be a date-time greater than created_at',
              code: 'invalid_value',
            });
          if (due < created)
            errors.push({
              field: 'due_by',
              message: 'It should be a date-time greater than created_at',
              code: 'invalid_value',
            });
          if (fr > due)
            errors.push({
              field: 'fr_due_by',
              message: 'It should be less than due_by',
              code: 'invalid_value',
            });
        }
      }
    }
    if (errors.length > 0)
      return res.status(400).json({ description: 'Validation failed', errors });
    const tagsBefore = [...ticket.tags];
    if (Array.isArray(input.tags)) ticket.tags = [...new Set(input.tags as string[])];
    if (typeof input.priority === 'number') ticket.priority = input.priority;
    if (typeof input.fr_due_by === 'string') ticket.fr_due_by = stamp(new Date(input.fr_due_by));
    if (typeof input.due_by === 'string') ticket.due_by = stamp(new Date(input.due_by));
    this.touch(ticket);
    const race = this.concurrentSaves.shift();
    const body = this.render(ticket);
    if (race) {
      ticket.tags = race(tagsBefore);
      this.touch(ticket);
    }
    this.answer(res, 200, body);
  }

  private note(req: Request, res: Response) {
    const ticket = this.tickets.get(Number(req.params.id));
    if (!ticket) return res.status(404).end();
    const input = (req.body ?? {}) as { body?: unknown; private?: unknown };
    if (typeof input.body !== 'string' || input.body === '') {
      return res.status(400).json({
        description: 'Validation failed',
        errors: [
          {
            field: 'body',
            message: 'It should not be blank as this is a mandatory field',
            code: 'missing_field',
          },
        ],
      });
    }
    const now = this.now();
    const conversation: FakeConversation = {
      id: ++this.nextConversationId,
      body: input.body,
      body_text: input.body
        .replace(/<br\s*\/?>/g, '\n')
        .replace(/<[^>]*>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
      private: input.private !== false, // notes are private unless told otherwise
      incoming: false,
      source: 2,
      user_id: 1,
      ticket_id: ticket.id,
      created_at: now,
      updated_at: now,
    };
    const list = this.conversations.get(ticket.id) ?? [];
    list.push(conversation);
    this.conversations.set(ticket.id, list);
    this.touch(ticket);
    this.answer(res, 201, conversation);
  }

  /** Oldest first (by created_at), `page` and `per_page` (default 30, at most 100). */
  private list(req: Request, res: Response) {
    const ticket = this.tickets.get(Number(req.params.id));
    if (!ticket) return res.status(404).end();
    const perPage = Math.min(100, Number(req.query.per_page ?? 30));
    const page = Math.max(1, Number(req.query.page ?? 1));
    const all = [...(this.conversations.get(ticket.id) ?? [])].sort(
      (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id,
    );
    const slice = all.slice((page - 1) * perPage, page * perPage);
    if (page * perPage < all.length)
      res.set(
        'Link',
        `<${this.baseUrl}${req.path}?page=${page + 1}&per_page=${perPage}>; rel="next"`,
      );
    res.json(slice);
  }

  /**
   * List All Tickets: without updated_since only tickets created in the last 30 days; with it,
   * those updated at or after it; order_by created_at|updated_at, order_type asc|desc (default
   * created_at desc); per_page (default 30, at most 100), page (at most listPageCap);
   * include=requester,stats embeds those.
   */
  private listTickets(req: Request, res: Response) {
    const perPage = Math.min(100, Number(req.query.per_page ?? 30));
    const page = Math.max(1, Number(req.query.page ?? 1));
    const fail = this.failListPages.get(page);
    if (fail) {
      this.failListPages.delete(page);
      return res.status(fail).json({ code: 'internal_error', message: 'Please try again.' });
    }
    if (page > this.listPageCap) {
      return res.status(400).json({
        description: 'Validation failed',
        errors: [
          {
            field: 'page',
            message: `It should be less than or equal to ${this.listPageCap}`,
            code: 'invalid_value',
          },
        ],
      });
    }
    const since = req.query.updated_since ? Date.parse(String(req.query.updated_since)) : null;
    const floor = this.clock().getTime() - 30 * 86_400_000;
    const field = req.query.order_by === 'updated_at' ? 'updated_at' : 'created_at';
    const sign = req.query.order_type === 'asc' ? 1 : -1;
    const include = String(req.query.include ?? '')
      .split(',')
      .filter(Boolean);
    const all = [...this.tickets.values()]
      .filter((t) =>
        since === null ? Date.parse(t.created_at) >= floor : Date.parse(t.updated_at) >= since,
      )
      .sort((a, b) => sign * (Date.parse(a[field]) - Date.parse(b[field]) || a.id - b.id));
    res.json(all.slice((page - 1) * perPage, page * perPage).map((t) => this.render(t, include)));
  }

  private ruleAt(req: Request): FakeAutomationRule | undefined {
    const rule = this.rules.get(Number(req.params.id));
    return rule && rule.automation_type_id === Number(req.params.type) ? rule : undefined;
  }

  /** Position order, `page` and `per_page` (default 30, at most 100). */
  private listRules(req: Request, res: Response) {
    const type = Number(req.params.type);
    if (![1, 3, 4].includes(type)) return res.status(404).json({ code: 'not_found' });
    const perPage = Math.min(100, Number(req.query.per_page ?? 30));
    const page = Math.max(1, Number(req.query.page ?? 1));
    res.json(this.rulesOf(type).slice((page - 1) * perPage, page * perPage));
  }

  /**
   * Create (rule null) or Update an Automation Rule, with the checks of Freshdesk's validation
   * that deskplan's rules go through: a name; performer and events only on ticket updates (4);
   * a trigger_webhook action with a url, a known request_type, and for POST/PUT a content_type,
   * content_layout and content (an object for JSON); custom_headers an object.
   */
  private saveRule(req: Request, res: Response, rule: FakeAutomationRule | null) {
    const type = Number(req.params.type);
    if (![1, 3, 4].includes(type)) return res.status(404).json({ code: 'not_found' });
    const input = (req.body ?? {}) as Record<string, unknown>;
    const errors: { field: string; message: string; code: string }[] = [];
    const fail = (field: string, message: string, code = 'invalid_value') =>
      errors.push({ field, message, code });
    if (!rule && (typeof input.name !== 'string' || input.name === '')) {
      fail('name', 'It should not be blank as this is a mandatory field', 'missing_field');
    }
    if (type !== 4 && (input.performer !== undefined || input.events !== undefined)) {
      fail('performer', 'Unexpected/invalid field in request', 'invalid_field');
    }
    if (type === 4 && !rule && (!Array.isArray(input.events) || input.events.length === 0)) {
      fail('events', 'It should not be blank as this is a mandatory field', 'missing_field');
    }
    const actions = input.actions ?? rule?.actions;
    if (!Array.isArray(actions) || actions.length === 0) {
      fail('actions', 'It should not be blank as this is a mandatory field', 'missing_field');
    }
    for (const action of (Array.isArray(actions) ? actions : []) as Record<string, unknown>[]) {
      if (action.field_name !== 'trigger_webhook') continue;
      if (typeof action.url !== 'string')
        fail('trigger_webhook', 'url is missing', 'missing_field');
      const method = String(action.request_type);
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
        fail('trigger_webhook[:request_type]', 'It should be one of GET,POST,PUT,PATCH,DELETE');
      }
      if (method === 'POST' || method === 'PUT') {
        for (const key of ['content_type', 'content_layout', 'content']) {
          if (!(key in action)) fail('trigger_webhook', `${key} is missing`, 'missing_field');
        }
        if (
          action.content_type === 'JSON' &&
          (typeof action.content !== 'object' || !action.content)
        ) {
          fail('trigger_webhook[:content]', 'It should be a valid JSON', 'datatype_mismatch');
        }
      }
      if (
        'custom_headers' in action &&
        (typeof action.custom_headers !== 'object' || Array.isArray(action.custom_headers))
      ) {
        fail('trigger_webhook[:custom_headers]', 'It should be a valid JSON', 'datatype_mismatch');
      }
    }
    if (errors.length > 0)
      return res.status(400).json({ description: 'Validation failed', errors });
    const now = this.now();
    const saved: FakeAutomationRule = {
      ...(rule ?? {
        id: ++this.nextRuleId,
        automation_type_id: type,
        name: '',
        position: this.rulesOf(type).length + 1,
        active: false,
        conditions: [],
        actions: [],
        created_at: now,
      }),
      updated_at: now,
    };
    for (const key of [
      'name',
      'position',
      'active',
      'performer',
      'events',
      'conditions',
      'actions',
    ]) {
      if (input[key] !== undefined)
        (saved as unknown as Record<string, unknown>)[key] = structuredClone(input[key]);
    }
    this.rules.set(saved.id, saved);
    this.answer(res, rule ? 200 : 201, saved);
  }

  /** The label a webhook placeholder renders for a status or priority code. */
  static statusLabel = (code: number) => STATUS_LABELS[code] ?? `Status ${code}`;
  static priorityLabel = (code: number) => PRIORITY_LABELS[code] ?? '';
}
