/**
 * Onboarding: what deskplan creates in a helpdesk so that the helpdesk sends it events (webhooks,
 * triggers, automation rules, subscriptions, custom fields), and the checks of that set-up. Each
 * connector that can do it offers `createSetup`; the orchestration (what was created is kept in
 * deskplan's own Redis, the tenant's config is updated) lives with the worker's stores.
 */

/** One object deskplan made in a helpdesk. */
export interface SetupItem {
  /** What it is, in the vendor's words: 'webhook', 'trigger', 'automation', 'ticket-field'… */
  kind: string;
  /** The helpdesk's id for it. */
  id: string;
  /** The name deskplan gave it; every name starts with "deskplan". */
  name: string;
}

/** Where the set-up points. */
export interface SetupTarget {
  tenantId: string;
  /** Where the helpdesk posts its events: `<public URL>/webhooks/<vendor>/<tenantId>`. */
  webhookUrl: string;
}

/**
 * created / updated / unchanged (connect), removed / gone (disconnect: `gone` = already deleted in
 * the helpdesk), kept (disconnect: not deskplan's to delete).
 */
export type SetupAction = 'created' | 'updated' | 'unchanged' | 'removed' | 'gone' | 'kept';

export interface SetupStep {
  action: SetupAction;
  item: SetupItem;
  /** What changed, or why ('url changed', 'already deleted in the helpdesk'). */
  detail?: string;
}

/**
 * Told about each item the moment the helpdesk has made it, before the next call: a connect that
 * stops half-way (a crash, a 5xx) still leaves a record of everything it made, so the next connect
 * finds those by id instead of making them again, and disconnect can remove them.
 */
export interface SetupJournal {
  created(item: SetupItem): Promise<void>;
}

export interface ConnectResult {
  /** One step per item, in the order they were handled. */
  steps: SetupStep[];
  /** Every item connect made that exists now: what disconnect will remove. */
  items: SetupItem[];
  /**
   * Settings of the tenant's connection that connect learned (Zendesk's signing secret, the ids
   * of due fields it created), as whole values for the top-level keys; merged into the tenant's
   * config, which is saved as a new version. `{}` when nothing changed.
   */
  connection: Record<string, unknown>;
}

/** One check of the live set-up. */
export interface DoctorCheck {
  /** What was checked: 'credentials', 'webhook', 'trigger: deskplan ticket created'… */
  check: string;
  ok: boolean;
  /** What was found. */
  detail: string;
  /** What to do about it (when not ok). */
  fix?: string;
}

/** A helpdesk's onboarding, for one tenant's connection. */
export interface Setup {
  /**
   * Makes what is missing, updates what differs from what deskplan wants, leaves the rest.
   * `known` is what earlier connects made (found by id first; an item deleted in the helpdesk
   * since is made again). Running it twice makes nothing new.
   */
  connect(
    target: SetupTarget,
    known: readonly SetupItem[],
    journal: SetupJournal,
  ): Promise<ConnectResult>;
  /** Deletes exactly the `known` items, nothing else (an item already deleted is `gone`). */
  disconnect(known: readonly SetupItem[]): Promise<SetupStep[]>;
  /** Reads the live set-up (never writes) and says what is wrong and how to fix it. */
  doctor(target: SetupTarget, known: readonly SetupItem[]): Promise<DoctorCheck[]>;
}
