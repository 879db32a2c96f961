import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ticketEventSchema, type TicketEvent } from '../../connectors/core/ticket.js';
import {
  compileTenant,
  decide,
  alertKey,
  withAllowances,
  parseTenantRules,
  resolveTicket,
  type CompiledTenant,
  type Decision,
  type Usage,
} from '../../worker/rules/index.js';
import type { Resolution } from '../../worker/rules/decision/resolve-ticket.js';
import { commitDecision, memoryOf } from '../../worker/processors/ticket-effects.js';
import { emptyTicketState, type TicketState } from '../../worker/stores/ticket-state-store.js';

export function readExample(name: string): unknown {
  return parse(readFileSync(new URL(`../../docs/examples/${name}.yaml`, import.meta.url), 'utf8'));
}

/** A tenant config a test means to be valid, validated and compiled (its problems thrown). */
export function compileConfig(config: unknown, label = 'tenant config'): CompiledTenant {
  const parsed = parseTenantRules(config);
  if (!parsed.ok) throw new Error(`${label}: ${parsed.problems.join('; ')}`);
  return compileTenant(parsed.rules);
}

/** A docs/examples tenant, validated and compiled. */
export function loadExample(name: string): CompiledTenant {
  return compileConfig(readExample(name), name);
}

type Ticket = TicketEvent['ticket'];
type TicketOverrides = Partial<Omit<Ticket, 'status' | 'priority'>> & {
  status?: Ticket['status']['category'] | Ticket['status'];
  priority?: Ticket['priority']['category'] | Ticket['priority'];
};

let sequence = 0;

/** A ticket.created event from a base fixture, with overrides spread in. */
export function ticketEvent(
  ticket: TicketOverrides & { id: string; subject: string; createdAt: string },
  event: Partial<Omit<TicketEvent, 'ticket'>> = {},
): TicketEvent {
  const { status = 'new', priority = 'normal', ...rest } = ticket;
  return ticketEventSchema.parse({
    vendor: 'zendesk',
    tenantId: 'test',
    eventId: `evt-${++sequence}`,
    kind: 'ticket.created',
    occurredAt: ticket.createdAt,
    ...event,
    ticket: {
      status: typeof status === 'string' ? { category: status, detail: status } : status,
      priority:
        typeof priority === 'string' || priority === null
          ? { category: priority, detail: priority }
          : priority,
      tags: [],
      requester: { id: '1', email: 'someone@example.com', name: 'Someone' },
      account: null,
      updatedAt: ticket.createdAt,
      firstAgentReplyAt: null,
      ...rest,
    },
  });
}

export const org = (id: string, attributes: Record<string, number | string> = {}) => ({
  id,
  name: `Org ${id}`,
  emailDomain: null,
  attributes,
});

export const domain = (emailDomain: string) => ({
  id: null,
  name: null,
  emailDomain,
  attributes: {},
});

interface MemoryEntry {
  position: number;
  weight: number;
  eventId: string;
}

/**
 * The quota ledger's contract, in memory, for pure-rule tests: a counter keeps its members with
 * the units in use when each was counted (its position) and its weight, remembers which event
 * counted each, never counts a member twice, and releases every count of a waived ticket (taking
 * the waive state only from a body no older than the last one), counting them again at the end
 * when the waive is removed. (The real ledger is a Redis Lua script with its own tests.)
 */
export class MemoryLedger {
  readonly counters = new Map<string, Map<string, MemoryEntry>>();
  readonly units = new Map<string, number>();
  /** What the worker would keep per ticket in Redis. */
  readonly tickets = new Map<string, TicketState>();
  private readonly ticketCounts = new Map<string, Map<string, MemoryEntry>>();
  private readonly waives = new Map<string, { waived: boolean; asOf: number }>();
  /** Tenant-wide alert claims (`ledger.claimAlerts`): alert effect key → the event that owns it. */
  readonly alerts = new Map<string, string>();

  /** The alerts' effect keys another event owns already; claims the rest for this event. */
  claimAlerts(alerts: Decision['alerts'], eventId: string): string[] {
    const lost: string[] = [];
    for (const a of alerts) {
      const key = alertKey(a);
      if (!this.alerts.has(key)) this.alerts.set(key, eventId);
      if (this.alerts.get(key) !== eventId) lost.push(key);
    }
    return lost;
  }

  private counter(key: string) {
    const counter = this.counters.get(key) ?? new Map<string, MemoryEntry>();
    this.counters.set(key, counter);
    return counter;
  }

  private add(key: string, delta: number) {
    this.units.set(key, Math.round(((this.units.get(key) ?? 0) + delta) * 1000) / 1000);
  }

  private applyWaive(ticketId: string, waived: boolean, asOf: number, eventId: string) {
    const state = this.waives.get(ticketId);
    if (state && asOf < state.asOf) return;
    if ((state?.waived ?? false) !== waived) {
      for (const [entry, record] of this.ticketCounts.get(ticketId) ?? []) {
        const [key, member] = entry.split('\n') as [string, string];
        const counter = this.counter(key);
        if (waived && counter.delete(member)) this.add(key, -record.weight);
        if (!waived && !counter.has(member)) {
          const again = { position: this.units.get(key) ?? 0, weight: record.weight, eventId };
          counter.set(member, again);
          this.add(key, record.weight);
        }
      }
    }
    this.waives.set(ticketId, { waived, asOf });
  }

  charge(
    resolution: Resolution,
    eventId: string,
    ticket?: { id: string; updatedAt: string },
  ): Usage {
    if (ticket)
      this.applyWaive(ticket.id, resolution.waived, Date.parse(ticket.updatedAt), eventId);
    const waived = ticket ? (this.waives.get(ticket.id)?.waived ?? false) : false;
    const usage: Record<string, Usage[string]> = {};
    for (const { key, member, weighing, lookupOnly } of resolution.counters) {
      const counter = this.counter(key);
      if (member !== null && !lookupOnly && !waived && !counter.has(member)) {
        const entry = { position: this.units.get(key) ?? 0, weight: weighing.weight, eventId };
        counter.set(member, entry);
        this.add(key, weighing.weight);
        if (ticket) {
          const counts = this.ticketCounts.get(ticket.id) ?? new Map<string, MemoryEntry>();
          counts.set(`${key}\n${member}`, entry);
          this.ticketCounts.set(ticket.id, counts);
        }
      }
      const entry = member === null ? undefined : counter.get(member);
      usage[key] = {
        count: counter.size,
        units: this.units.get(key) ?? 0,
        position: entry?.position ?? null,
        chargedNow: entry?.eventId === eventId,
        ...(waived ? { waived: true } : {}),
      };
    }
    return usage;
  }
}

/**
 * Resolve, charge and decide one event, as the worker does: with what deskplan remembers of the
 * ticket (notes written, quota state, met targets), kept per ticket beside the ledger, and with
 * alerts claimed for the whole tenant (an alert another ticket raised first is dropped).
 */
export function handle(
  tenant: CompiledTenant,
  ledger: MemoryLedger,
  event: TicketEvent,
  nowMs?: number,
): Decision {
  const resolution = resolveTicket(tenant, event);
  const charged = ledger.charge(resolution, event.eventId, event.ticket);
  const usage = withAllowances(resolution, charged, (key) => ledger.units.get(key) ?? 0);
  const at = nowMs ?? Date.parse(event.occurredAt);
  const state = ledger.tickets.get(event.ticket.id) ?? emptyTicketState();
  const judge = (alsoDone: string[]) =>
    decide(tenant, event, resolution, usage, nowMs, memoryOf(state, event.eventId, at, alsoDone));
  let decision = judge([]);
  const lost = ledger.claimAlerts(decision.alerts, event.eventId);
  if (lost.length > 0) decision = judge(lost);
  ledger.tickets.set(
    event.ticket.id,
    commitDecision(state, {
      decision,
      done: decision.effects,
      eventId: event.eventId,
      nowMs: at,
      wroteOver: null,
    }),
  );
  return decision;
}
