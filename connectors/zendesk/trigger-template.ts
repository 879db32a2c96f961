/**
 * The JSON body to paste into a Zendesk trigger's "Notify active webhook" action. Zendesk fills
 * each placeholder with text ('' when empty); `ticket.tags` renders space-separated.
 * Placeholders: https://support.zendesk.com/hc/en-us/articles/4408886858138
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
  "current_user": { "role": "{{current_user.role}}" }
}`;
