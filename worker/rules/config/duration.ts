import { z } from 'zod';

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440 };
const DURATION = /^(?:(\d+(?:\.\d+)?)d)?\s*(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m)?$/;

/** Parses '90m', '1h', '1h30m', '1d', '7d' (or a bare number of minutes) into minutes. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match || (!match[1] && !match[2] && !match[3])) return null;
  const [, d, h, m] = match;
  return Number(d ?? 0) * UNIT_MINUTES.d! + Number(h ?? 0) * UNIT_MINUTES.h! + Number(m ?? 0);
}

/** Minutes of a duration given as a number or a string (parseDuration); null unless finite and >= 0. */
export function minutesOf(value: number | string): number | null {
  const minutes = typeof value === 'number' ? value : parseDuration(value);
  return minutes !== null && Number.isFinite(minutes) && minutes >= 0 ? minutes : null;
}

/** A target length: minutes as a number, or a string such as '1h30m', '12h', '7d'. */
export const durationSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const minutes = minutesOf(value);
  if (minutes === null) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration such as 90, '45m', '1h30m', '12h' or '7d', got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return minutes;
});
