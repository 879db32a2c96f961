// Tenant secrets are write-only in the admin API: a config is shown with every literal secret in
// `connection` replaced by a placeholder, and a replace that leaves a secret out (or sends the
// placeholder back) keeps the stored value.
import { isOnlyReferences, isSecretField } from './seal-secrets.js';

/** What a secret value reads as in the admin API; sent back, it keeps the stored value. */
export const REDACTED = '<redacted>';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A secret field's value with its literal strings hidden (`${NAME}` references stay visible). */
function hide(value: unknown): unknown {
  if (typeof value === 'string') return isOnlyReferences(value) ? value : REDACTED;
  if (Array.isArray(value)) return value.map(hide);
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hide(v)]));
  return value;
}

/** The config with the values of its secret fields hidden. */
export function redactSecrets(config: unknown, path = ''): unknown {
  if (Array.isArray(config)) return config.map((v, i) => redactSecrets(v, `${path}[${i}]`));
  if (!isObject(config)) return config;
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => {
      const inner = path ? `${path}.${k}` : k;
      return [k, isSecretField(inner) ? hide(v) : redactSecrets(v, inner)];
    }),
  );
}

/** A secret value given again: the placeholder (or placeholders in it) take the stored value. */
function restore(given: unknown, stored: unknown): unknown {
  if (given === REDACTED) return stored;
  if (Array.isArray(given)) {
    const old = Array.isArray(stored) ? stored : [];
    return given.map((v, i) => restore(v, old[i]));
  }
  if (isObject(given)) {
    const old = isObject(stored) ? stored : {};
    return Object.fromEntries(Object.entries(given).map(([k, v]) => [k, restore(v, old[k])]));
  }
  return given;
}

/**
 * The incoming config with the stored secrets kept: a secret field left out of an object that
 * the stored config has it in takes the stored value, the placeholder takes the stored value,
 * and `null` removes the field (e.g. switching from an API token to an OAuth token).
 */
export function keepSecrets(incoming: unknown, stored: unknown, path = ''): unknown {
  if (Array.isArray(incoming)) {
    const old = Array.isArray(stored) ? stored : [];
    return incoming.map((v, i) => keepSecrets(v, old[i], `${path}[${i}]`));
  }
  if (!isObject(incoming)) return incoming;
  const old = isObject(stored) ? stored : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(incoming)) {
    const inner = path ? `${path}.${k}` : k;
    if (isSecretField(inner)) {
      if (v !== null) out[k] = restore(v, old[k]);
    } else out[k] = keepSecrets(v, old[k], inner);
  }
  for (const [k, v] of Object.entries(old)) {
    const inner = path ? `${path}.${k}` : k;
    if (!(k in incoming) && isSecretField(inner)) out[k] = v;
  }
  return out;
}
