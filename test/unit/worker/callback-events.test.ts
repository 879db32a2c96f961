import { describe, expect, it } from 'vitest';
import { callbackEventsOf } from '../../../worker/callbacks/callback-events.js';
import { deliveryIdOf, DELIVERY_ID_PATTERN } from '../../../worker/callbacks/delivery-id.js';
import { signCallback } from '../../../worker/callbacks/sign-callback.js';
import { callbackSchema } from '../../../worker/rules/config/callback-schema.js';
import type { Decision } from '../../../worker/rules/index.js';

const due = (over: Record<string, unknown>) => ({
  targetMinutes: 60,
  due: '2026-05-01T10:00:00.000Z',
  fulfilledAt: null,
  breached: false,
  paused: false,
  atRisk: false,
  ...over,
});

const decision = (over: Partial<Decision>): Decision =>
  ({
    tenantId: 'acme',
    ticketId: '7',
    eventId: 'e1',
    outcome: 'applied',
    contract: { id: 'c1', scopeKey: 'c1' },
    plan: { id: 'p', name: 'P' },
    usage: [],
    sla: null,
    alerts: [],
    ...over,
  }) as Decision;

describe('callback events of a decision', () => {
  it('folds 100% and the first overage into one quota.exhausted per counter', () => {
    const quota = { limitId: 'l', counterKey: 'c1/l/month-1', used: 2, max: 2 };
    const [exhausted] = callbackEventsOf(
      decision({ alerts: [{ kind: 'exhausted', threshold: 100, ...quota }] }),
      null,
    );
    const [overage] = callbackEventsOf(
      decision({ alerts: [{ kind: 'overage', threshold: null, ...quota, used: 3 }] }),
      null,
    );
    expect(exhausted).toMatchObject({ type: 'quota.exhausted', data: { reason: 'threshold' } });
    expect(overage).toMatchObject({ type: 'quota.exhausted', data: { reason: 'overage' } });
    expect(overage!.claimKey).toBe(exhausted!.claimKey);
    expect(overage!.key).toBe(exhausted!.key);
    const [threshold] = callbackEventsOf(
      decision({ alerts: [{ kind: 'threshold', threshold: 80, ...quota }] }),
      null,
    );
    expect(threshold).toMatchObject({ type: 'quota.threshold_crossed', claimKey: null });
  });

  it('raises sla.warning and sla.breached per ticket and metric, claimed by deskplan', () => {
    const events = callbackEventsOf(
      decision({
        sla: {
          policyId: 'std',
          calendarId: '24x7',
          priority: 'high',
          firstResponse: due({ breached: true }),
          nextResponse: null,
          resolution: due({ atRisk: true }),
        },
      }),
      null,
    );
    expect(events.map((e) => [e.type, e.claimKey])).toEqual([
      ['sla.breached', 'sla.breached:7:firstResponse'],
      ['sla.warning', 'sla.warning:7:resolution'],
    ]);
    const met = callbackEventsOf(
      decision({
        sla: {
          policyId: 'std',
          calendarId: '24x7',
          priority: 'high',
          firstResponse: due({ breached: true, fulfilledAt: '2026-05-01T11:00:00.000Z' }),
          nextResponse: null,
          resolution: null,
        },
      }),
      null,
    );
    expect(met).toEqual([]);
  });

  it('raises contract.expired once per contract, only for a no-contract decision', () => {
    const ended = { id: 'c0', name: 'Old', end: '2026-03-31' };
    const events = callbackEventsOf(decision({ outcome: 'no-contract', contract: null }), ended);
    expect(events).toEqual([
      expect.objectContaining({ type: 'contract.expired', claimKey: 'contract.expired:c0' }),
    ]);
    expect(callbackEventsOf(decision({}), ended)).toEqual([]);
  });

  it('derives a stable UUID-shaped delivery id per tenant, subscriber and reason', () => {
    const id = deliveryIdOf('acme', 'ops', 'alert:x:80');
    expect(id).toMatch(DELIVERY_ID_PATTERN);
    expect(deliveryIdOf('acme', 'ops', 'alert:x:80')).toBe(id);
    expect(deliveryIdOf('acme', 'billing', 'alert:x:80')).not.toBe(id);
  });

  it('signs "<timestamp>.<body>" with HMAC-SHA256, hex, v1=', () => {
    // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'secret-of-16-chars'
    expect(signCallback('{"a":1}', 'secret-of-16-chars', 1_700_000_000)).toBe(
      'v1=6afe8e0515c786f952e78841359526cea20c88134915def7d76dd52f6b4fe08d',
    );
  });
});

describe('callback config', () => {
  const base = { id: 'ops', secret: 'a-secret-of-16+chars' };
  it('accepts https anywhere and http only on this machine; defaults to every event', () => {
    for (const url of [
      'https://h.example.com/x',
      'http://localhost:8080/x',
      'http://127.0.0.1/x',
    ]) {
      expect(callbackSchema.safeParse({ ...base, url }).success, url).toBe(true);
    }
    for (const url of [
      'http://h.example.com/x',
      'ftp://h/x',
      'https://u:p@h.example.com/',
      'nope',
    ]) {
      expect(callbackSchema.safeParse({ ...base, url }).success, url).toBe(false);
    }
    expect(callbackSchema.parse({ ...base, url: 'https://h.example.com' }).events).toHaveLength(7);
    expect(callbackSchema.safeParse({ ...base, url: 'https://h', secret: 'short' }).success).toBe(
      false,
    );
  });
});
