import type { Priority } from '../core/ticket.js';
import { DUE_METRICS, type DueInstants, type TicketPatch } from '../core/ticket-patch.js';
import type { HelpscoutConnection } from './connection-schema.js';
import { isPriorityTag, localDate, priorityTag } from './map-fields.js';
import type { HelpscoutConversation } from './vendor-schemas.js';

/**
 * Tags and custom fields on Help Scout are replace-all (PUT …/tags, PUT …/fields: whatever the
 * list omits is removed), with no version to lock on. So a patch is applied to the conversation
 * as just read: everyone else's tags and field values are sent back unchanged.
 * https://developer.helpscout.com/mailbox-api/endpoints/conversations/tags/update/
 * https://developer.helpscout.com/mailbox-api/endpoints/conversations/custom_fields/update/
 */
export interface WritePlan {
  /** The whole tag list to PUT, or null when the tags already match. */
  tags: string[] | null;
  /** The whole custom field list to PUT, or null when the fields already match. */
  fields: { id: number; value: string }[] | null;
  /** What must hold after the write: tags present and absent, due field values. */
  expect: { present: string[]; absent: string[]; fields: Record<number, string | null> };
  /** The due instants whose date was written (for the note). */
  duesWritten: Partial<DueInstants>;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((t) => b.includes(t));

export function planWrite(
  conversation: HelpscoutConversation,
  patch: TicketPatch,
  connection: HelpscoutConnection,
): WritePlan {
  const current = conversation.tags.map((t) => t.tag);
  const lower = (t: string) => t.toLowerCase(); // Help Scout tags are lower-case
  const remove = new Set(patch.removeTags.map(lower));
  const add = patch.addTags.map(lower);
  const priority: Priority | null = patch.priority;
  if (priority) add.push(priorityTag(priority));
  const absent = [...remove];
  const kept = current.filter(
    (t) => !remove.has(lower(t)) && !(priority && isPriorityTag(t) && t !== priorityTag(priority)),
  );
  if (priority)
    absent.push(...current.filter((t) => isPriorityTag(t) && t !== priorityTag(priority)));
  const desiredTags = [...new Set([...kept, ...add])];

  const expectFields: Record<number, string | null> = {};
  const duesWritten: Partial<DueInstants> = {};
  const values = new Map(
    conversation.customFields.filter((f) => f.value !== null).map((f) => [f.id, f.value!]),
  );
  const before = new Map(values);
  for (const metric of DUE_METRICS) {
    const fieldId = connection.dueFields[metric];
    if (fieldId === undefined || !(metric in patch.dues)) continue;
    const due = patch.dues[metric] ?? null;
    const date = due === null ? null : localDate(due, connection.timeZone);
    if ((values.get(fieldId) ?? null) === date) continue; // the field holds that date already
    if (date === null) values.delete(fieldId);
    else values.set(fieldId, date);
    expectFields[fieldId] = date;
    duesWritten[metric] = due;
  }
  const fieldsChanged =
    values.size !== before.size || [...values].some(([id, v]) => before.get(id) !== v);
  return {
    tags: sameSet(desiredTags, current) ? null : desiredTags,
    fields: fieldsChanged ? [...values].map(([id, value]) => ({ id, value })) : null,
    expect: { present: add, absent, fields: expectFields },
    duesWritten,
  };
}

/** What of a plan's write does not hold on the conversation read after it (empty: all held). */
export function lostChanges(after: HelpscoutConversation, plan: WritePlan): string[] {
  const tags = new Set(after.tags.map((t) => t.tag.toLowerCase()));
  const lost = [
    ...plan.expect.present.filter((t) => !tags.has(t)).map((t) => `tag ${t} missing`),
    ...plan.expect.absent.filter((t) => tags.has(t.toLowerCase())).map((t) => `tag ${t} back`),
  ];
  for (const [id, value] of Object.entries(plan.expect.fields)) {
    const now = after.customFields.find((f) => f.id === Number(id))?.value ?? null;
    if (now !== value) lost.push(`field ${id} is ${now ?? 'empty'}, not ${value ?? 'empty'}`);
  }
  return lost;
}

const LABELS: Record<keyof DueInstants, string> = {
  firstResponse: 'First response due',
  nextResponse: 'Next response due',
  resolution: 'Resolution due',
};

/**
 * The internal note: deskplan's note, then the exact due instants (the fields hold only their
 * date). Help Scout notes are HTML: the text is escaped and its line breaks kept.
 */
export function noteHtml(note: string | null, dues: Partial<DueInstants>): string | null {
  const lines = DUE_METRICS.filter((m) => m in dues).map(
    (m) => `${LABELS[m]}: ${dues[m] ?? 'none (cleared)'}`,
  );
  if (note === null && lines.length === 0) return null;
  const text = [
    ...(lines.length ? ['deskplan due instants (the date fields hold their date):', ...lines] : []),
    ...(note === null ? [] : [note]),
  ].join('\n');
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.replace(/\n/g, '<br>\n');
}
