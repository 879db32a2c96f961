import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { VendorError } from '../../connectors/core/errors.js';
import type { HttpClientOptions } from '../../connectors/core/http-client.js';
import type {
  DoctorCheck,
  Setup,
  SetupItem,
  SetupStep,
  SetupTarget,
} from '../../connectors/core/setup.js';
import type { SetupRecords } from '../stores/setup-records.js';
import type { TenantStore } from '../stores/tenant-store.js';
import type { LoadedTenant } from '../tenants/tenant-catalog.js';
import { keepReferences, secretValues, withoutSecrets } from './connection-secrets.js';

/** Why an onboarding run cannot go on: the API answers `status`. */
export class OnboardingError extends Error {
  constructor(
    readonly status: 404 | 409 | 422 | 502,
    message: string,
  ) {
    super(message);
  }
}

export interface OnboardingDeps {
  tenantStore: Pick<TenantStore, 'currentAsWritten' | 'save'>;
  tenants: { get(tenantId: string): Promise<LoadedTenant | null> };
  records: SetupRecords;
  /** DESKPLAN_PUBLIC_URL: where helpdesks reach this deployment, when a run names none. */
  publicUrl?: string;
  http?: HttpClientOptions;
  /** Asks deskplan's own /healthz through the public URL (doctor); default fetch, 5 s. */
  probe?: (url: string) => Promise<number>;
  logger?: Logger;
}

export interface ConnectReport {
  tenantId: string;
  vendor: string;
  webhookUrl: string;
  steps: SetupStep[];
  /** The tenant's new config version when connect changed its connection, else null. */
  configVersion: number | null;
  warnings: string[];
}

export interface DoctorReport {
  tenantId: string;
  vendor: string;
  webhookUrl: string | null;
  ok: boolean;
  checks: DoctorCheck[];
}

const publicUrlSchema = z
  .url({
    protocol: /^https?$/,
    error: 'expected an http(s) URL such as https://deskplan.example.com',
  })
  .refine((u) => !/[?#]/.test(u), { error: 'the public URL takes no query nor fragment' });

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;
const LOCK_MS = 5 * 60_000;

async function fetchStatus(url: string): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'manual' });
  return res.status;
}

/**
 * Onboarding of a tenant's helpdesk: `connect` makes (or puts back) what the helpdesk needs to
 * send deskplan its events, through the connector's Setup; `disconnect` removes exactly what
 * connect made; `doctor` checks the live set-up. What was made is kept in deskplan's Redis
 * (SetupRecords) as it is made; what connect learns for the connection (a webhook's signing
 * secret, the ids of fields it made) is saved as a new version of the tenant's config.
 */
export class Onboardings {
  constructor(private readonly deps: OnboardingDeps) {}

  private async setupOf(tenantId: string): Promise<{ tenant: LoadedTenant; setup: Setup }> {
    const tenant = await this.deps.tenants.get(tenantId);
    if (!tenant) throw new OnboardingError(404, `tenant '${tenantId}' is not known`);
    const setup = tenant.connector.createSetup?.(tenant.connection, this.deps.http);
    if (!setup) {
      throw new OnboardingError(
        422,
        `${tenant.connector.vendor} cannot be set up by deskplan: follow docs/install.md by hand`,
      );
    }
    return { tenant, setup };
  }

  /** The webhook URL: the one given, else DESKPLAN_PUBLIC_URL, else the one last connected. */
  private async targetOf(
    tenant: LoadedTenant,
    publicUrl: string | undefined,
  ): Promise<{ target: SetupTarget | null; warnings: string[] }> {
    const given = publicUrl ?? this.deps.publicUrl;
    if (given === undefined) {
      const meta = await this.deps.records.meta(tenant.id);
      return { target: meta && { tenantId: tenant.id, webhookUrl: meta.webhookUrl }, warnings: [] };
    }
    const parsed = publicUrlSchema.safeParse(given);
    if (!parsed.success) {
      throw new OnboardingError(422, `publicUrl: ${parsed.error.issues[0]!.message}`);
    }
    const base = parsed.data.replace(/\/+$/, '');
    const url = new URL(base);
    const warnings =
      url.protocol === 'http:' && !LOOPBACK.test(url.hostname)
        ? [`${base} is plain http: helpdesks send ticket data (and may refuse) over it; use https`]
        : [];
    const webhookUrl = `${base}/webhooks/${tenant.connector.vendor}/${encodeURIComponent(tenant.id)}`;
    return { target: { tenantId: tenant.id, webhookUrl }, warnings };
  }

  /** `run` under the tenant's lock; a vendor's refusal is answered without the tenant's secrets. */
  private async locked<T>(tenant: LoadedTenant, run: () => Promise<T>): Promise<T> {
    const tenantId = tenant.id;
    const lock = await this.deps.records.lock(tenantId, randomUUID(), LOCK_MS);
    if (!lock) {
      throw new OnboardingError(409, `a connect or disconnect of '${tenantId}' is running`);
    }
    // A run that waits out a helpdesk's rate limits may outlast the lock: keep it while it runs.
    const stop = lock.keepAlive(LOCK_MS, LOCK_MS / 3, () =>
      this.deps.logger?.warn({ tenantId }, 'onboarding lock lost: another run may overlap'),
    );
    try {
      return await run();
    } catch (error) {
      if (error instanceof VendorError) {
        const message = withoutSecrets(error.message, secretValues(tenant.connection));
        throw new OnboardingError(502, `the helpdesk refused: ${message}`);
      }
      throw error;
    } finally {
      stop();
      await lock.release();
    }
  }

  async connect(
    tenantId: string,
    options: { publicUrl?: string; by: string },
  ): Promise<ConnectReport> {
    const { tenant, setup } = await this.setupOf(tenantId);
    const { target, warnings } = await this.targetOf(tenant, options.publicUrl);
    if (!target) {
      throw new OnboardingError(
        422,
        'where do helpdesks reach deskplan? give publicUrl (--public-url) or set DESKPLAN_PUBLIC_URL',
      );
    }
    return this.locked(tenant, async () => {
      const { records } = this.deps;
      const known = await records.items(tenantId);
      const result = await setup.connect(target, known, {
        created: (item) => records.remember(tenantId, item),
      });
      await records.replace(tenantId, result.items, {
        webhookUrl: target.webhookUrl,
        connectedAt: new Date().toISOString(),
        connectedBy: options.by,
      });
      const configVersion = await this.saveConnection(tenant, result.connection, options.by);
      this.deps.logger?.info(
        { tenant: tenantId, steps: tally(result.steps), configVersion },
        'helpdesk connected',
      );
      return {
        tenantId,
        vendor: tenant.connector.vendor,
        webhookUrl: target.webhookUrl,
        steps: result.steps,
        configVersion,
        warnings,
      };
    });
  }

  /** Merges what connect learned into the stored connection: a new config version, or null. */
  private async saveConnection(
    tenant: LoadedTenant,
    learned: Record<string, unknown>,
    by: string,
  ): Promise<number | null> {
    const tenantId = tenant.id;
    if (Object.keys(learned).length === 0) return null;
    const stored = await this.deps.tenantStore.currentAsWritten(tenantId);
    if (!stored) throw new OnboardingError(404, `tenant '${tenantId}' was deleted meanwhile`);
    // What connect learned belongs to the config it started from: a config saved meanwhile (a
    // new secret, another helpdesk) must not be overwritten with it. What connect made stays
    // recorded; running it again on the new config saves what that one lacks.
    if (stored.version !== tenant.version) {
      throw new OnboardingError(
        409,
        `the config of '${tenantId}' changed while connect ran (version ${tenant.version} → ${stored.version}); run connect again`,
      );
    }
    const config = stored.config as { connection?: Record<string, unknown> };
    // A value connect read resolved from a `${NAME}` reference is saved as the reference.
    const changes = keepReferences(learned, config.connection, tenant.connection);
    const next = { ...config, connection: { ...config.connection, ...changes } };
    const saved = await this.deps.tenantStore.save(tenantId, next, `connect:${by}`);
    return saved.changed ? saved.version : null;
  }

  async disconnect(
    tenantId: string,
    by: string,
  ): Promise<{ tenantId: string; steps: SetupStep[] }> {
    const { tenant, setup } = await this.setupOf(tenantId);
    return this.locked(tenant, async () => {
      const { records } = this.deps;
      const known = await records.items(tenantId);
      const steps = known.length === 0 ? [] : await setup.disconnect(known);
      const done = new Set<SetupItem>();
      for (const step of steps) if (step.action !== 'unchanged') done.add(step.item);
      await records.forget(tenantId, [...done]);
      if ((await records.items(tenantId)).length === 0) await records.clearMeta(tenantId);
      this.deps.logger?.info(
        { tenant: tenantId, steps: tally(steps), by },
        'helpdesk disconnected',
      );
      return { tenantId, steps };
    });
  }

  async doctor(tenantId: string, options: { publicUrl?: string } = {}): Promise<DoctorReport> {
    const { tenant, setup } = await this.setupOf(tenantId);
    const { target } = await this.targetOf(tenant, options.publicUrl);
    const { records } = this.deps;
    const [known, meta] = await Promise.all([records.items(tenantId), records.meta(tenantId)]);
    const checks: DoctorCheck[] = [
      meta
        ? {
            check: 'connected',
            ok: true,
            detail: `by ${meta.connectedBy} at ${meta.connectedAt}: ${known.length} item(s) made`,
          }
        : {
            check: 'connected',
            ok: false,
            detail: 'deskplan has not set this helpdesk up',
            fix: `run deskplan connect ${tenantId} --public-url https://<where helpdesks reach deskplan>`,
          },
    ];
    if (target) {
      checks.push(await this.reachable(target));
      try {
        checks.push(...(await setup.doctor(target, known)));
      } catch (error) {
        checks.push({
          check: 'helpdesk API',
          ok: false,
          detail: (error as Error).message,
          fix: "check the connection's URL and credentials in the tenant's config",
        });
      }
    }
    // A check's detail may quote the helpdesk's answer, which may echo a secret it refused.
    const secrets = secretValues(tenant.connection);
    return {
      tenantId,
      vendor: tenant.connector.vendor,
      webhookUrl: target?.webhookUrl ?? null,
      ok: checks.every((c) => c.ok),
      checks: checks.map((c) => ({ ...c, detail: withoutSecrets(c.detail, secrets) })),
    };
  }

  /** Whether the public URL leads to a deskplan (its /healthz), as seen from here. */
  private async reachable(target: SetupTarget): Promise<DoctorCheck> {
    const health = `${target.webhookUrl.replace(/\/webhooks\/[^/]+\/[^/]+$/, '')}/healthz`;
    const probe = this.deps.probe ?? fetchStatus;
    try {
      const status = await probe(health);
      if (status === 200) {
        return { check: 'public URL', ok: true, detail: `${health} answers 200` };
      }
      return {
        check: 'public URL',
        ok: false,
        detail: `${health} answers ${status}`,
        fix: 'point the public URL (DESKPLAN_PUBLIC_URL or --public-url) at this deskplan',
      };
    } catch (error) {
      return {
        check: 'public URL',
        ok: false,
        detail: `${health} cannot be reached: ${(error as Error).message}`,
        fix: 'make the public URL reachable from the internet (a reverse proxy, a tunnel) and run connect again',
      };
    }
  }
}

const tally = (steps: readonly SetupStep[]) =>
  steps.reduce<Record<string, number>>(
    (t, s) => ({ ...t, [s.action]: (t[s.action] ?? 0) + 1 }),
    {},
  );
