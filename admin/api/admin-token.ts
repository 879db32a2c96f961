import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirFrom } from '../../worker/tenants/seal-secrets.js';

/**
 * The agency's admin token: DESKPLAN_ADMIN_TOKEN when set; else `<data dir>/admin.token`,
 * created (mode 0600) on first start, so a fresh machine has a token to log in with. Returns the
 * token and where it came from (the path is printed at start; the token never is).
 */
export function loadAdminToken(env: NodeJS.ProcessEnv = process.env): {
  token: string;
  source: string;
  created: boolean;
} {
  const fromEnv = env.DESKPLAN_ADMIN_TOKEN?.trim();
  if (fromEnv) {
    if (fromEnv.length < 24) {
      throw new Error('DESKPLAN_ADMIN_TOKEN must be at least 24 characters long');
    }
    return { token: fromEnv, source: 'DESKPLAN_ADMIN_TOKEN', created: false };
  }
  const dir = dataDirFrom(env);
  const file = join(dir, 'admin.token');
  if (existsSync(file))
    return { token: readFileSync(file, 'utf8').trim(), source: file, created: false };
  mkdirSync(dir, { recursive: true });
  const token = `dp_${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { token, source: file, created: true };
}
