import { secretStrings } from '../tenants/seal-secrets.js';

// What onboarding must do with the secrets of a tenant's connection: keep them out of what it
// answers (a vendor may echo a refused value in its error), and keep `${NAME}` references as
// written when what connect learned carries a value it read resolved from the environment.

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every string under a secret field of the connection (`auth.apiToken`, `webhookSecrets`…). */
export function secretValues(connection: unknown): string[] {
  // Longest first, so a secret that contains another is hidden whole.
  return secretStrings({ connection }).sort((a, b) => b.length - a.length);
}

/** `text` with every one of `secrets` replaced by a placeholder. */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('<redacted>');
  return out;
}

/**
 * `changes` (top-level connection keys connect learned) with each value that is the resolved
 * form of a `${NAME}` reference of the written connection put back as that reference, so a
 * secret kept in the environment is not copied into the stored config.
 */
export function keepReferences(
  changes: Record<string, unknown>,
  written: unknown,
  resolved: unknown,
): Record<string, unknown> {
  const refs = new Map<string, string>();
  const pair = (w: unknown, r: unknown): void => {
    if (typeof w === 'string') {
      if (typeof r === 'string' && w !== r && w.includes('${')) refs.set(r, w);
    } else if (Array.isArray(w) && Array.isArray(r)) w.forEach((v, i) => pair(v, r[i]));
    else if (isObject(w) && isObject(r)) for (const k of Object.keys(w)) pair(w[k], r[k]);
  };
  pair(written, resolved);
  if (refs.size === 0) return changes;
  const put = (value: unknown): unknown => {
    if (typeof value === 'string') return refs.get(value) ?? value;
    if (Array.isArray(value)) return value.map(put);
    if (isObject(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, put(v)]));
    return value;
  };
  return put(changes) as Record<string, unknown>;
}
