import type { Response } from 'express';

/** `text` cut to at most `max` characters, '…' marking a cut (request ids and paths in answers
 * and logs: a client must not make us write megabytes). */
export function clip(text: string, max = 64): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `{"error": {"status", "message", "details"}}`: what was wrong, never a stack. */
export function sendError(res: Response, status: number, message: string, details: string[] = []) {
  res.status(status).json({ error: { status, message, ...(details.length ? { details } : {}) } });
}
