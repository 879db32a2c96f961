/** deskplan writes only tags with this prefix, and only ever removes tags with it. */
export const TAG_PREFIX = 'deskplan_';

const slug = (id: string) => id.replace(/[^a-z0-9_]/g, '_');

export const tags = {
  plan: (id: string) => `${TAG_PREFIX}plan_${slug(id)}`,
  product: (id: string) => `${TAG_PREFIX}product_${slug(id)}`,
  withinQuota: `${TAG_PREFIX}within_quota`,
  overQuota: `${TAG_PREFIX}over_quota`,
  /** Not counted yet: the limit counts on the first agent reply, or on solve. */
  quotaPending: `${TAG_PREFIX}quota_pending`,
  /** Matches an exclusion of its plan or contract: not counted by any limit. */
  excluded: `${TAG_PREFIX}excluded`,
  billable: `${TAG_PREFIX}billable`,
  selfHelp: `${TAG_PREFIX}self_help`,
  deprioritized: `${TAG_PREFIX}deprioritized`,
  awaitingApproval: `${TAG_PREFIX}awaiting_approval`,
  /** Set by an agent on a held ticket: its overage is approved, so billable. */
  approved: `${TAG_PREFIX}approved`,
  upsell: `${TAG_PREFIX}upsell`,
  /** Usage reached the plan's suggestTopUpAt: offer the account a top-up block. */
  topUpSuggested: `${TAG_PREFIX}topup_suggested`,
  /** Set by an agent: the ticket's counts are released while it carries this tag. */
  waive: `${TAG_PREFIX}waive`,
  noSla: `${TAG_PREFIX}no_sla`,
  noContract: `${TAG_PREFIX}no_contract`,
  atRisk: `${TAG_PREFIX}sla_at_risk`,
  breach: (metric: 'first_response' | 'next_response' | 'resolution') =>
    `${TAG_PREFIX}breach_${metric}`,
} as const;

/** Tags agents set to instruct deskplan: read, kept, never removed by deskplan. */
const AGENT_TAGS: readonly string[] = [tags.waive, tags.approved];

/** deskplan's own tags, the only ones it removes: its prefix, but not the agents' instructions. */
export const isOwnTag = (tag: string) => tag.startsWith(TAG_PREFIX) && !AGENT_TAGS.includes(tag);

/** The product id an agent (or an earlier decision) pinned with a product tag, if known. */
export function pinnedProduct(ticketTags: readonly string[], products: Iterable<string>) {
  for (const id of products) if (ticketTags.includes(tags.product(id))) return id;
  return null;
}
