// The pure rules core: tenant config, routing, quota periods and allowances, business hours, SLA,
// decisions.
export {
  parseTenantRules,
  TenantConfigError,
  type ParseResult,
} from './config/parse-tenant-rules.js';
export {
  tenantRulesSchema,
  type TenantRules,
  type TenantRulesInput,
} from './config/tenant-schema.js';
export { compileTenant, type CompiledTenant } from './compile-tenant.js';
export {
  counterKeysOn,
  currentPeriodsStart,
  describeCounter,
  resolveTicket,
  type Counter,
  type CounterInfo,
  type Resolution,
} from './decision/resolve-ticket.js';
export {
  decide,
  tagChanges,
  type Alert,
  type CounterUsage,
  type Decision,
  type LimitUsage,
  type Usage,
} from './decision/decide.js';
export { TAG_PREFIX, isOwnTag } from './decision/tags.js';
export {
  matchExclusion,
  needsFields,
  needsTicketRead,
  type ExclusionMatch,
} from './decision/exclusions.js';
export { recountOf, type Recount } from './decision/reopen-count.js';
export {
  countRepliesFrom,
  proposedCutoff,
  replyLineOf,
  replyLinesInForce,
  replyLinesOf,
} from './decision/reply-cutoff.js';
export { allowanceKeys, withAllowances } from './decision/with-allowances.js';
export {
  alertField,
  alertKey,
  EMPTY_MEMORY,
  effectKeys,
  isNoteEffect,
  metToKeep,
  type QuotaMemory,
  type QuotaVerdict,
  type TicketMemory,
} from './decision/ticket-memory.js';
export {
  allowanceByPeriod,
  currentAllowance,
  drawOf,
  poolUsage,
  type AllowanceInput,
  type Drawn,
  type PeriodAllowance,
  type PeriodUsage,
  type Pool,
  type PoolSource,
  type PoolUse,
  type PoolsUsage,
  type RolledIn,
  type RolloverRule,
  type TopUpBlock,
  type TopUpInPeriod,
} from './quota/allowance.js';
export {
  topUpLimitId,
  topUpsForLimit,
  type RolloverConfig,
  type TopUpConfig,
} from './config/allowance-schema.js';
