import { z } from 'zod';
import { idSchema } from './ids.js';

/** The events deskplan can send to a tenant's callback subscribers. */
export const CALLBACK_EVENTS = [
  'quota.threshold_crossed',
  'quota.exhausted',
  'quota.topup_suggested',
  'sla.warning',
  'sla.breached',
  'contract.expiring',
  'contract.expired',
] as const;
export type CallbackEventType = (typeof CALLBACK_EVENTS)[number];

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https anywhere; plain http only to this machine (a receiver under test, a local relay). */
const callbackUrlSchema = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      if (url.username || url.password) return false;
      return (
        url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))
      );
    } catch {
      return false;
    }
  },
  {
    error:
      'expected an https:// URL without user:password (http:// only for localhost or 127.0.0.1)',
  },
);

/** One subscriber: where to POST, which events, and the secret that signs each delivery. */
export const callbackSchema = z
  .object({
    id: idSchema,
    url: callbackUrlSchema,
    /** Default: every event. */
    events: z
      .array(z.enum(CALLBACK_EVENTS))
      .min(1)
      .default([...CALLBACK_EVENTS]),
    /** Signs each delivery (HMAC-SHA256); encrypted at rest, `${ENV}` references allowed. */
    secret: z.string().min(16, { error: 'a signing secret needs at least 16 characters' }),
  })
  .strict();

export const callbacksSchema = z
  .array(callbackSchema)
  .default([])
  .superRefine((subs, ctx) => {
    const seen = new Set<string>();
    subs.forEach((sub, i) => {
      if (seen.has(sub.id)) {
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `callback '${sub.id}' twice` });
      }
      seen.add(sub.id);
    });
  });

export type CallbackConfig = z.infer<typeof callbackSchema>;
