import pino, { type Logger } from 'pino';

/** Paths that may hold secrets: never logged. */
export const REDACT_PATHS = [
  'connection.auth',
  'connection.webhookSecrets',
  '*.apiToken',
  '*.oauthToken',
  '*.webhookSecrets',
  'headers.authorization',
  'headers["x-zendesk-webhook-signature"]',
  'config.connection',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
