import { describe, expect, it } from 'vitest';
import { helpscoutConnectionSchema } from '../../../../connectors/helpscout/connection-schema.js';
import {
  WEBHOOK_EVENTS,
  dueFieldChecks,
  findAdoptable,
  secretFingerprint,
  wantedWebhook,
  webhookBody,
  webhookChanges,
  webhookChecks,
  type FoundField,
} from '../../../../connectors/helpscout/setup-plan.js';
import { HELPSCOUT_EVENTS } from '../../../../connectors/helpscout/to-event.js';
import type { HelpscoutWebhook } from '../../../../connectors/helpscout/vendor-schemas.js';

const connection = helpscoutConnectionSchema.parse({
  vendor: 'helpscout',
  auth: { appId: 'app', appSecret: 'sec' },
  webhookSecrets: ['first-secret', 'second-secret'],
  dueFields: { resolution: 104 },
});
const target = { tenantId: 'acme', webhookUrl: 'https://dp.example/webhooks/helpscout/acme' };
const wanted = wantedWebhook(target, connection);
const live = (over: Partial<HelpscoutWebhook> = {}): HelpscoutWebhook => ({
  id: '10',
  url: target.webhookUrl,
  state: 'enabled',
  events: [...WEBHOOK_EVENTS].reverse(),
  notification: false,
  payloadVersion: 'V2',
  label: 'deskplan acme',
  mailboxIds: [],
  ...over,
});

describe('the wanted webhook', () => {
  it('subscribes only events deskplan parses, signs with the first secret, and is labelled', () => {
    expect(WEBHOOK_EVENTS.every((e) => HELPSCOUT_EVENTS.includes(e))).toBe(true);
    expect(WEBHOOK_EVENTS).not.toContain('convo.deleted');
    expect(wanted).toMatchObject({ secret: 'first-secret', label: 'deskplan acme' });
    expect(webhookBody(wanted)).toEqual({
      url: target.webhookUrl,
      events: [...WEBHOOK_EVENTS],
      secret: 'first-secret',
      payloadVersion: 'V2',
      notification: false,
      label: 'deskplan acme',
    });
  });

  it('keeps a mailbox filter someone set when updating', () => {
    expect(webhookBody(wanted, live({ mailboxIds: [13] }))).toMatchObject({ mailboxIds: [13] });
  });
});

describe('webhookChanges', () => {
  it('is empty when the live webhook matches (events in any order) and the secret is known', () => {
    expect(webhookChanges(wanted, live(), true)).toEqual([]);
  });

  it('names each difference', () => {
    const drifted = live({
      url: 'https://old.example/x',
      events: ['convo.created'],
      notification: true,
      label: null,
    });
    expect(webhookChanges(wanted, drifted, false)).toEqual([
      'url',
      'events',
      'secret',
      'notification',
      'label',
    ]);
  });
});

describe('secretFingerprint', () => {
  it('changes with the first secret only, and does not contain it', () => {
    const a = secretFingerprint(connection);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(secretFingerprint({ ...connection, webhookSecrets: ['first-secret', 'other'] })).toBe(a);
    expect(secretFingerprint({ ...connection, webhookSecrets: ['new-secret'] })).not.toBe(a);
  });
});

describe('findAdoptable', () => {
  it('takes a webhook at the tenant URL, preferring deskplan label; none elsewhere', () => {
    const byHand = live({ id: '1', label: null });
    const ours = live({ id: '2' });
    const elsewhere = live({ id: '3', url: 'https://crm.example/hook' });
    expect(findAdoptable([byHand, ours, elsewhere], wanted)?.id).toBe('2');
    expect(findAdoptable([byHand, elsewhere], wanted)?.id).toBe('1');
    expect(
      findAdoptable([elsewhere, live({ id: '4', label: 'deskplan acme', url: 'x' })], wanted),
    ).toBeNull();
  });
});

describe('webhookChecks', () => {
  const learned = { ...connection, webhookSecretFingerprint: secretFingerprint(connection) };

  it('all ok for the wanted webhook, recorded, with the secret set by connect', () => {
    const checks = webhookChecks({ live: live(), recorded: true, goneId: null }, target, learned);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('an unrecorded webhook at our URL: adopt it; none: make it', () => {
    const [unrecorded] = webhookChecks(
      { live: live(), recorded: false, goneId: null },
      target,
      learned,
    );
    expect(unrecorded).toMatchObject({
      ok: false,
      fix: 'run deskplan connect acme (it adopts the webhook)',
    });
    expect(webhookChecks({ live: null, recorded: false, goneId: '10' }, target, learned)).toEqual([
      {
        check: 'webhook',
        ok: false,
        detail: 'webhook 10 was deleted in Help Scout',
        fix: 'run deskplan connect acme (it makes the webhook)',
      },
    ]);
  });

  it('a secret connect has not set (or a changed first secret) is not ok', () => {
    const checks = webhookChecks(
      { live: live(), recorded: true, goneId: null },
      target,
      connection,
    );
    expect(checks.find((c) => c.check === 'webhook: secret')).toMatchObject({ ok: false });
  });

  it('a notification webhook only sends URIs', () => {
    const checks = webhookChecks(
      { live: live({ notification: true }), recorded: true, goneId: null },
      target,
      learned,
    );
    expect(checks.find((c) => c.check === 'webhook: payload')!.detail).toMatch(/resource URI/);
  });
});

describe('dueFieldChecks', () => {
  const found = (over: Partial<FoundField>): Map<number, FoundField> =>
    new Map([
      [104, { id: 104, name: 'Resolution', type: 'date', mailboxes: ['Support'], ...over }],
    ]);

  it('accepts a Date field in some mailbox (type in any case)', () => {
    expect(dueFieldChecks(connection, found({ type: 'DATE' }))).toEqual([
      {
        check: 'due field: resolution',
        ok: true,
        detail: 'field 104 "Resolution" in Support (Date)',
      },
    ]);
  });

  it('refuses a missing or non-Date field, saying it must be made in the Help Scout UI', () => {
    const [missing] = dueFieldChecks(connection, new Map());
    expect(missing).toMatchObject({ ok: false, detail: 'no custom field 104 in any mailbox' });
    expect(missing!.fix).toMatch(/^Help Scout's API cannot create custom fields/);
    const [text] = dueFieldChecks(connection, found({ type: 'singleline' }));
    expect(text).toMatchObject({ ok: false });
    expect(text!.detail).toContain('type singleline, not Date');
  });

  it('no due fields configured is fine', () => {
    const none = { ...connection, dueFields: {} };
    expect(dueFieldChecks(none, new Map())).toEqual([
      expect.objectContaining({ check: 'due fields', ok: true }),
    ]);
  });
});
