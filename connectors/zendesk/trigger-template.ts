/**
 * The JSON body to paste into a Zendesk trigger's "Notify active webhook" action. Zendesk fills
 * each placeholder with text ('' when empty; numbers and dates too); `ticket.tags` renders
 * space-separated. Status and priority are expected as lower-case names, but the rendered case is
 * not verified, so the parser maps them case-insensitively and keeps the raw label.
 * Placeholders: https://support.zendesk.com/hc/en-us/articles/4408886858138
 * The form, brand and channel are left out on purpose: that reference documents
 * `{{ticket.ticket_form}}` and `{{ticket.brand.name}}` (names) and `{{ticket.via}}` (a display
 * label), not the ids the REST API gives (`ticket_form_id`, `brand_id`, `via.channel`). A
 * ticket parsed from this body marks them unknown, and the worker reads the ticket once when an
 * exclusion of the tenant needs one of them.
 */
export const ZENDESK_TRIGGER_BODY = `{
  "deskplan": "1",
  "ticket": {
    "id": "{{ticket.id}}",
    "subject": "{{ticket.title}}",
    "status": "{{ticket.status}}",
    "priority": "{{ticket.priority}}",
    "tags": "{{ticket.tags}}",
    "created_at": "{{ticket.created_at_with_timestamp}}",
    "updated_at": "{{ticket.updated_at_with_timestamp}}",
    "organization_id": "{{ticket.organization.id}}",
    "requester_email": "{{ticket.requester.email}}"
  },
  "current_user": { "id": "{{current_user.id}}", "role": "{{current_user.role}}" }
}`;

/**
 * The body for a second trigger that fires on agent replies (conditions: "Comment is Public"
 * and "Current user is (agent)"): the same fields plus our own literal event, so response-
 * counted plans can charge each reply. Each firing is one reply, identified by its invocation id.
 */
export const ZENDESK_AGENT_REPLY_TRIGGER_BODY = ZENDESK_TRIGGER_BODY.replace(
  '"deskplan": "1",',
  '"deskplan": "1",\n  "event": "agent_replied",',
);

/**
 * The body for a third trigger that fires on customer replies (conditions: "Ticket is Updated",
 * "Comment is Public" and "Current user is (end user)"): the same fields plus our own literal
 * event, so a next-response clock starts at the customer's message (the ticket's updated_at) and
 * stops at the next agent reply. Without it a trigger-connected tenant never learns of them.
 */
export const ZENDESK_CUSTOMER_REPLY_TRIGGER_BODY = ZENDESK_TRIGGER_BODY.replace(
  '"deskplan": "1",',
  '"deskplan": "1",\n  "event": "customer_replied",',
);
