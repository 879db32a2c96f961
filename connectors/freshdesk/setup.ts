import { z } from 'zod';
import { nullIfNotFound, removedOrGone } from '../core/errors.js';
import { vendorCalls, type HttpClientOptions } from '../core/http-client.js';
import { createFreshdeskHttp } from './client.js';
import type {
  DoctorCheck,
  Setup,
  SetupItem,
  SetupJournal,
  SetupStep,
  SetupTarget,
} from '../core/setup.js';
import type { FreshdeskConnection } from './connection-schema.js';
import { liveRuleSchema, type LiveRule } from './vendor-schemas.js';
import {
  automationTypeOfKind,
  ruleDifferences,
  wantedRules,
  type AutomationTypeId,
  type WantedRule,
} from './setup-plan.js';

/** Rules listed per page, and pages read at most, when looking for a rule by name. */
const PAGE_SIZE = 100;
const MAX_PAGES = 20;

const agentSchema = z.looseObject({
  id: z.number(),
  contact: z.looseObject({ email: z.string().nullish() }).nullish(),
});

/**
 * Onboarding for a Freshdesk account (`deskplan connect|disconnect|doctor`): the automation
 * rules that send deskplan its events (see setup-plan.ts for what they are and the sources).
 * Freshdesk holds the due dates natively (fr_due_by, due_by), so nothing else is made and the
 * connection learns nothing (`connection: {}`).
 *
 * Rules API: https://developers.freshdesk.com/api/#automations
 */
export function createFreshdeskSetup(
  connection: FreshdeskConnection,
  options: HttpClientOptions = {},
): Setup {
  const http = createFreshdeskHttp(connection, options);
  const rulesPath = (type: AutomationTypeId, id?: string) =>
    `/automations/${type}/rules${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;

  const call = vendorCalls('Freshdesk', options);

  /** The rule, or null when Freshdesk no longer has it. */
  const viewRule = (type: AutomationTypeId, id: string): Promise<LiveRule | null> =>
    nullIfNotFound(() =>
      call(`view automation rule ${id}`, async () => {
        const { data } = await http.get(rulesPath(type, id));
        return liveRuleSchema.parse(data);
      }),
    );

  /** Every rule of a type, page by page (cached for one connect). */
  async function listRules(type: AutomationTypeId): Promise<LiveRule[]> {
    const all: LiveRule[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const rules = await call(`list automation rules (type ${type})`, async () => {
        const { data } = await http.get(rulesPath(type), {
          params: { page, per_page: PAGE_SIZE },
        });
        return z.array(liveRuleSchema).parse(data);
      });
      all.push(...rules);
      if (rules.length < PAGE_SIZE) break;
    }
    return all;
  }

  const itemOf = (wanted: WantedRule, id: number | string): SetupItem => ({
    kind: wanted.kind,
    id: String(id),
    name: wanted.body.name,
  });
  const recorded = (known: readonly SetupItem[], wanted: WantedRule) =>
    known.find((k) => k.kind === wanted.kind && k.name === wanted.body.name) ?? null;

  return {
    async connect(target: SetupTarget, known: readonly SetupItem[], journal: SetupJournal) {
      const secret = connection.webhookSecrets[0]!;
      const listed = new Map<AutomationTypeId, Promise<LiveRule[]>>();
      const listOnce = (type: AutomationTypeId) => {
        if (!listed.has(type)) listed.set(type, listRules(type));
        return listed.get(type)!;
      };
      const steps: SetupStep[] = [];
      const items: SetupItem[] = [];
      for (const wanted of wantedRules(target, secret)) {
        const record = recorded(known, wanted);
        let live = record ? await viewRule(wanted.automationType, record.id) : null;
        let adopted = false;
        if (!live) {
          // No record, or the recorded rule was deleted: a rule of ours by its exact name (one a
          // cut-short connect made before its journal write) is taken over instead of doubled.
          const byName = (await listOnce(wanted.automationType)).find(
            (r) => r.name === wanted.body.name,
          );
          if (byName) {
            live = byName;
            adopted = record?.id !== String(byName.id);
          }
        }
        if (!live) {
          const made = await call(`create automation rule "${wanted.body.name}"`, async () => {
            const { data } = await http.post(rulesPath(wanted.automationType), wanted.body);
            return liveRuleSchema.parse(data);
          });
          const item = itemOf(wanted, made.id);
          await journal.created(item);
          items.push(item);
          steps.push({
            action: 'created',
            item,
            detail: record ? 'deleted in Freshdesk; made again' : undefined,
          });
          continue;
        }
        const item = itemOf(wanted, live.id);
        if (adopted) await journal.created(item);
        items.push(item);
        const diffs = ruleDifferences(live, wanted);
        if (diffs.length === 0) {
          steps.push({ action: 'unchanged', item });
          continue;
        }
        await call(`update automation rule ${live.id}`, () =>
          http.put(rulesPath(wanted.automationType, String(live.id)), wanted.body),
        );
        steps.push({ action: 'updated', item, detail: diffs.join(', ') });
      }
      return { steps, items, connection: {} };
    },

    async disconnect(known: readonly SetupItem[]) {
      const steps: SetupStep[] = [];
      for (const item of known) {
        const type = automationTypeOfKind(item.kind);
        if (type === null || !item.name.startsWith('deskplan')) {
          steps.push({ action: 'kept', item, detail: 'not a deskplan automation rule' });
          continue;
        }
        const action = await removedOrGone(() =>
          call(`delete automation rule ${item.id}`, () => http.delete(rulesPath(type, item.id))),
        );
        steps.push(
          action === 'gone'
            ? { action, item, detail: 'already deleted in Freshdesk' }
            : { action, item },
        );
      }
      return steps;
    },

    async doctor(target: SetupTarget, known: readonly SetupItem[]) {
      const fixConnect = `run deskplan connect ${target.tenantId}`;
      const checks: DoctorCheck[] = [];
      try {
        const me = await call('view the API key’s agent', async () => {
          const { data } = await http.get('/agents/me');
          return agentSchema.parse(data);
        });
        checks.push({
          check: 'credentials',
          ok: true,
          detail: `API key of agent ${me.contact?.email ?? me.id}`,
        });
      } catch (error) {
        checks.push({
          check: 'credentials',
          ok: false,
          detail: error instanceof Error ? error.message : String(error),
          fix: 'set connection.apiKey to an admin agent’s API key (Profile settings → View API key), then run deskplan doctor again',
        });
        return checks;
      }
      for (const wanted of wantedRules(target, connection.webhookSecrets[0]!)) {
        const check = `automation rule: ${wanted.body.name}`;
        const record = recorded(known, wanted);
        if (!record) {
          checks.push({ check, ok: false, detail: 'not made yet', fix: fixConnect });
          continue;
        }
        let live: LiveRule | null;
        try {
          live = await viewRule(wanted.automationType, record.id);
        } catch (error) {
          checks.push({
            check,
            ok: false,
            detail: error instanceof Error ? error.message : String(error),
            fix: 'the API key’s agent must be an admin who may manage automations (Growth plan or higher)',
          });
          continue;
        }
        if (!live) {
          checks.push({
            check,
            ok: false,
            detail: `rule ${record.id} was deleted in Freshdesk`,
            fix: fixConnect,
          });
          continue;
        }
        const diffs = ruleDifferences(live, wanted);
        checks.push(
          diffs.length === 0
            ? { check, ok: true, detail: `rule ${live.id}: active, posts to ${target.webhookUrl}` }
            : { check, ok: false, detail: `rule ${live.id}: ${diffs.join(', ')}`, fix: fixConnect },
        );
      }
      return checks;
    },
  };
}
