import pino, { type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

/** Paths that may hold secrets: never logged. */
const REDACT_PATHS = [
  'connection.auth',
  'connection.webhookSecrets',
  '*.apiToken',
  '*.oauthToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.code_verifier',
  '*.webhookSecrets',
  'headers.authorization',
  'headers["x-zendesk-webhook-signature"]',
  'headers["x-helpscout-signature"]',
  'config.connection',
];

/** Keys every line has already: a logged object's own keys of these names are renamed (`_pid`). */
const LINE_KEYS = ['level', 'time', 'pid', 'hostname'];

/**
 * Per logger (each child is one): the keys its lines have already (LINE_KEYS and its bindings),
 * and the bindings text they were read from, so setBindings() is noticed. Read once, not per line.
 */
const takenKeys = new WeakMap<Logger, { chindings: unknown; keys: ReadonlySet<string> }>();

function keysOfLine(logger: Logger): ReadonlySet<string> {
  const chindings = (logger as unknown as Record<symbol, unknown>)[pino.symbols.chindingsSym];
  let cached = takenKeys.get(logger);
  if (!cached || cached.chindings !== chindings) {
    cached = { chindings, keys: new Set([...LINE_KEYS, ...Object.keys(logger.bindings())]) };
    takenKeys.set(logger, cached);
  }
  return cached.keys;
}

export type LogFormat = 'pretty' | 'json';

/** LOG_FORMAT (pretty or json) when set; else pretty for a terminal, JSON for anything else. */
export function logFormat(
  env: NodeJS.ProcessEnv = process.env,
  isTTY = process.stdout.isTTY === true,
): LogFormat {
  if (env.LOG_FORMAT === 'pretty' || env.LOG_FORMAT === 'json') return env.LOG_FORMAT;
  return isTTY ? 'pretty' : 'json';
}

/** One line per event, readable: time, level, message, then the fields. Written synchronously. */
function prettyStream(destination: DestinationStream | undefined, colorize: boolean) {
  const format = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  const out = destination ?? pino.destination({ dest: 1, sync: true });
  return { write: (line: string) => void out.write(format(line)) };
}

export function createLogger(
  level = process.env.LOG_LEVEL ?? 'info',
  options: { format?: LogFormat; destination?: DestinationStream } = {},
): Logger {
  const format = options.format ?? logFormat();
  // JSON goes to pino's own stdout destination (asynchronous, flushed on exit).
  const stream =
    format === 'pretty'
      ? prettyStream(options.destination, !options.destination && process.stdout.isTTY === true)
      : (options.destination ?? pino.destination({ dest: 1 }));
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        // A key the line already has (its time, a child logger's binding, `msg` when a message
        // is given) would appear twice in the JSON line: the logged object's copy is renamed.
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          if (first && typeof first === 'object' && !(first instanceof Error)) {
            const line = keysOfLine(this);
            const withMsg = typeof rest[0] === 'string';
            const taken = (k: string) => line.has(k) || (withMsg && k === 'msg');
            if (Object.keys(first).some(taken)) {
              const renamed = Object.fromEntries(
                Object.entries(first).map(([k, v]) => [taken(k) ? `_${k}` : k, v]),
              );
              return method.apply(this, [renamed, ...rest] as Parameters<typeof method>);
            }
          }
          return method.apply(this, args);
        },
      },
    },
    stream,
  );
}
