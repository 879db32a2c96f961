import { z } from 'zod';
import { DUE_METRICS, dueFieldKey } from './ticket-patch.js';

/**
 * Ids of the helpdesk's own custom fields that hold deskplan's due instants, by metric (Zendesk
 * ticket fields, Help Scout conversation fields); a metric without one is not written.
 */
export const dueFieldIdsSchema = z
  .object({
    firstResponse: z.number().int().positive().optional(),
    nextResponse: z.number().int().positive().optional(),
    resolution: z.number().int().positive().optional(),
  })
  .strict()
  .default({});
export type DueFieldIds = z.infer<typeof dueFieldIdsSchema>;

/** The metrics that have a field: the due instants this account can hold. */
export const metricsWithField = (ids: DueFieldIds) =>
  DUE_METRICS.filter((metric) => ids[metric] !== undefined);

/** A ticket's `customFields` for the due instants: each field's value under deskplan's key. */
export const dueCustomFields = (ids: DueFieldIds, valueOf: (fieldId: number) => unknown) =>
  Object.fromEntries(metricsWithField(ids).map((m) => [dueFieldKey(m), valueOf(ids[m]!)]));
