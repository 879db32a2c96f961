import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHelpscoutClient } from '../../connectors/helpscout/client.js';
import { helpscoutConnectionSchema } from '../../connectors/helpscout/connection-schema.js';
import { SealedTokenStore } from '../../worker/stores/sealed-token-store.js';
import { secretKeyFrom } from '../../worker/tenants/seal-secrets.js';
import { FakeHelpscout } from '../fakes/fake-helpscout.js';
import { helpscoutConnection } from '../helpers/pipeline-core.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let fake: FakeHelpscout;
beforeEach(async () => {
  redis = await useTestRedis();
  fake = new FakeHelpscout();
  await fake.listen();
});
afterEach(async () => {
  await fake.close();
  await redis.close();
});

describe('Help Scout access tokens shared between processes, encrypted (real Redis)', () => {
  it('fetches one token for every process, keeps it encrypted, and renews it once when refused', async () => {
    const key = secretKeyFrom(randomBytes(32), 'test key');
    const tokens = () => new SealedTokenStore(redis.client, redis.prefix, key);
    const connection = helpscoutConnectionSchema.parse(helpscoutConnection(fake.baseUrl));
    fake.addCustomer({ id: 1, email: 'kim@acme.example' });
    fake.addConversation({ id: 7, subject: 'Help' });

    // Two worker processes, each with its own client (and in-memory token).
    const a = createHelpscoutClient(connection, { tokens: tokens() });
    const b = createHelpscoutClient(connection, { tokens: tokens() });
    await a.fetchTicket('7');
    await b.fetchTicket('7');
    expect(fake.tokensIssued).toBe(1);

    // At rest: sealed, with an expiry; neither the token nor the app id in clear.
    const keys = await redis.client.keys(`${redis.prefix}:vendor-token:*`);
    expect(keys).toHaveLength(1);
    const stored = (await redis.client.get(keys[0]!))!;
    const token = (await tokens().get('helpscout:app-id'))!.value;
    expect(stored).not.toContain(token);
    expect(stored).not.toContain('app-id');
    expect(stored).toContain('$sealed');
    expect(await redis.client.pttl(keys[0]!)).toBeGreaterThan(0);

    // The vendor stops accepting it: the first process to be refused renews it once, and the
    // other then uses the renewed one.
    fake.expireTokens();
    await a.fetchTicket('7');
    expect(fake.tokensIssued).toBe(2);
    const c = createHelpscoutClient(connection, { tokens: tokens() });
    await c.fetchTicket('7');
    expect(fake.tokensIssued).toBe(2);

    // Another secret key cannot read it: a fresh token is fetched instead of failing.
    const other = new SealedTokenStore(
      redis.client,
      redis.prefix,
      secretKeyFrom(randomBytes(32), 'other'),
    );
    await expect(other.get('helpscout:app-id')).rejects.toThrow(/secret key/);
    const d = createHelpscoutClient(connection, { tokens: other });
    await d.fetchTicket('7');
    expect(fake.tokensIssued).toBe(3);
  });
});
