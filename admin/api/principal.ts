/** Who is calling the admin API: the agency (every tenant) or a token scoped to one tenant. */
export type Principal =
  | { kind: 'agency'; tokenId: string; name: string }
  | { kind: 'tenant'; tokenId: string; name: string; tenantId: string };

/** Whether the principal may read and change this tenant. */
export const canSee = (principal: Principal, tenantId: string) =>
  principal.kind === 'agency' || principal.tenantId === tenantId;

/** Who made a change, as kept in histories: 'agency:<token name>' or 'tenant:<id>:<token name>'. */
export const actorOf = (principal: Principal) =>
  principal.kind === 'agency'
    ? `agency:${principal.name}`
    : `tenant:${principal.tenantId}:${principal.name}`;
