const WHITESPACE_RUN = /\s+/g;
/** Anything the whitespace pass would change: a run, a non-space blank, or an edge blank. */
const UNTIDY_WHITESPACE = /\s\s|[^\S ]|^ | $/;

/**
 * The one form subjects and keywords are compared in: NFKC folds full-width
 * Latin and half-width katakana, lowercasing folds case, and whitespace runs
 * become one space so 'product  x' and 'product x' compare equal.
 */
export function normalizeText(s: string): string {
  const folded = s.normalize('NFKC').toLowerCase();
  // Most subjects are already tidy; testing is cheaper than always rewriting.
  return UNTIDY_WHITESPACE.test(folded) ? folded.replace(WHITESPACE_RUN, ' ').trim() : folded;
}
