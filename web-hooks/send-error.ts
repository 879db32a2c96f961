import type { Response } from 'express';

/** `{"error": {"status", "message", "details"}}`: what was wrong, never a stack. */
export function sendError(res: Response, status: number, message: string, details: string[] = []) {
  res.status(status).json({ error: { status, message, ...(details.length ? { details } : {}) } });
}
