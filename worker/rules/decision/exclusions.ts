import type { OptionalField, Ticket } from '../../../connectors/core/ticket.js';
import type { CompiledTenant } from '../compile-tenant.js';
import type { ContractConfig } from '../config/contract-schema.js';
import type { ExcludeConfig } from '../config/exclude-schema.js';
import type { PlanConfig } from '../config/plan-schema.js';

export type ExclusionKind = 'tag' | 'form' | 'brand' | 'channel' | 'requesterDomain';

/** Which exclusion a ticket matched: its kind, the configured value, and whose list it is on. */
export interface ExclusionMatch {
  kind: ExclusionKind;
  value: string;
  from: 'plan' | 'contract';
}

const domainOf = (email: string | null) =>
  email && email.includes('@') ? email.split('@').pop()!.toLowerCase() : null;

function matchOne(
  exclude: ExcludeConfig | undefined,
  ticket: Ticket,
  from: ExclusionMatch['from'],
): ExclusionMatch | null {
  if (!exclude) return null;
  const found = (kind: ExclusionKind, value: string | undefined) =>
    value === undefined ? null : { kind, value, from };
  const tags = new Set(ticket.tags.map((t) => t.toLowerCase()));
  const channel = ticket.channel;
  const domain = domainOf(ticket.requester.email);
  return (
    found(
      'tag',
      exclude.tags?.find((t) => tags.has(t)),
    ) ??
    found(
      'form',
      exclude.forms?.find((f) => f === ticket.formId),
    ) ??
    found(
      'brand',
      exclude.brands?.find((b) => b === ticket.brandId),
    ) ??
    found(
      'channel',
      channel
        ? exclude.channels?.find(
            (c) => c === channel.category || c === channel.detail?.toLowerCase(),
          )
        : undefined,
    ) ??
    found(
      'requesterDomain',
      domain
        ? exclude.requesterDomains?.find((d) => domain === d || domain.endsWith(`.${d}`))
        : undefined,
    )
  );
}

/**
 * The exclusion a ticket matches under a plan and contract (the contract's list adds to the
 * plan's), or null. Pure: judged on the ticket as this event shows it.
 */
export function matchExclusion(
  plan: PlanConfig,
  contract: ContractConfig,
  ticket: Ticket,
): ExclusionMatch | null {
  return matchOne(plan.exclude, ticket, 'plan') ?? matchOne(contract.exclude, ticket, 'contract');
}

const FIELD_OF: Partial<Record<keyof ExcludeConfig, OptionalField>> = {
  forms: 'formId',
  brands: 'brandId',
  channels: 'channel',
};

const needed = new WeakMap<CompiledTenant, ReadonlySet<OptionalField>>();

/** The optional ticket fields some exclusion of this tenant reads (memoised per tenant). */
export function needsFields(tenant: CompiledTenant): ReadonlySet<OptionalField> {
  let fields = needed.get(tenant);
  if (!fields) {
    const set = new Set<OptionalField>();
    const lists = [...tenant.rules.plans, ...tenant.rules.contracts].map((x) => x.exclude);
    for (const exclude of lists) {
      for (const [key, field] of Object.entries(FIELD_OF)) {
        if (exclude?.[key as keyof ExcludeConfig]?.length) set.add(field);
      }
    }
    fields = set;
    needed.set(tenant, fields);
  }
  return fields;
}

/** True when the ticket lacks a field some exclusion of the tenant needs: read it from the API. */
export const needsTicketRead = (tenant: CompiledTenant, ticket: Ticket) =>
  ticket.unknownFields.some((f) => needsFields(tenant).has(f));
