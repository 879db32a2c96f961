import { z } from 'zod';

/** Ids appear in tags, Redis keys and job ids: lower-case slugs, no ':' and not all digits. */
export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, {
    error:
      'expected an id of lower-case letters, digits, - and _ (at most 63, starting with a letter or digit)',
  })
  .refine((id) => !/^\d+$/.test(id), { error: 'an id must not be all digits' });
