import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirFrom } from '../../worker/tenants/seal-secrets.js';
import { CliError, EXIT } from './exit-codes.js';

export interface Connection {
  url: string;
  token: string | null;
}

/**
 * Where the service is and which token to present: --url / DESKPLAN_URL (default
 * http://127.0.0.1:$PORT, PORT 3000), --token / DESKPLAN_TOKEN, else the agency token a local
 * service created in <data dir>/admin.token.
 */
export function connectionFrom(
  flags: { url?: string; token?: string },
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  const url = (flags.url ?? env.DESKPLAN_URL ?? `http://127.0.0.1:${env.PORT || 3000}`).replace(
    /\/+$/,
    '',
  );
  let token = flags.token ?? env.DESKPLAN_TOKEN ?? env.DESKPLAN_ADMIN_TOKEN ?? null;
  if (!token) {
    const file = join(dataDirFrom(env), 'admin.token');
    if (existsSync(file)) token = readFileSync(file, 'utf8').trim();
  }
  return { url, token };
}

export interface Answer {
  status: number;
  text: string;
  json: unknown;
}

/** One call to the admin API; API errors become CliErrors with the matching exit status. */
export async function callApi(
  connection: Connection,
  method: string,
  path: string,
  body?: { text: string; type: string },
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json, text/csv' };
  if (connection.token) headers.authorization = `Bearer ${connection.token}`;
  if (body) headers['content-type'] = body.type;
  let res: Response;
  try {
    res = await fetch(`${connection.url}/api${path}`, {
      method,
      headers,
      body: body?.text,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new CliError(
      EXIT.unreachable,
      `cannot reach deskplan at ${connection.url} (${cause}); is it running (npm start)? Set --url or DESKPLAN_URL`,
    );
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  if (res.ok) return { status: res.status, text, json };
  const error = (json as { error?: { message?: string; details?: string[] } } | null)?.error;
  const message = error?.message ?? `HTTP ${res.status}`;
  const details = error?.details ?? [];
  if (res.status === 401 || res.status === 403) {
    throw new CliError(
      EXIT.unauthorized,
      `${message}${connection.token ? '' : ' (no token: set --token or DESKPLAN_TOKEN)'}`,
    );
  }
  if (res.status === 422) throw new CliError(EXIT.invalid, message, details);
  if (res.status === 400 && /YAML|JSON/.test(message)) throw new CliError(EXIT.invalid, message);
  throw new CliError(EXIT.failed, `${message} (HTTP ${res.status})`, details);
}
