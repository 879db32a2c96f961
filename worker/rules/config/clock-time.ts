import { z } from 'zod';

const RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** 'HH:MM-HH:MM' (end may be 24:00) → minutes from local midnight. */
export const openIntervalSchema = z.string().transform((text, ctx) => {
  const m = RANGE.exec(text.trim());
  const start = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  const end = m ? Number(m[3]) * 60 + Number(m[4]) : NaN;
  const valid = m !== null && Number(m[2]) < 60 && Number(m[4]) < 60 && start < end && end <= 1440;
  if (!valid) {
    ctx.addIssue({
      code: 'custom',
      message: `expected opening hours as 'HH:MM-HH:MM' with start before end (end at most 24:00), got ${JSON.stringify(text)}`,
    });
    return z.NEVER;
  }
  return { start, end };
});

/** A calendar date 'YYYY-MM-DD' that exists (no Feb 30). */
export const localDateSchema = z.iso.date({ error: 'expected a date as YYYY-MM-DD' });
