import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileRouter,
  type RoutingRuleSpec,
} from '../../../worker/rules/routing/compile-router.js';

const NUM_RUNS = 300;

// Full-width katakana -> half-width spelling, read off NFKC itself so the table cannot drift:
// every half-width letter, alone or with a (semi-)voiced mark, that folds to one character.
const HALF_WIDTH = new Map<string, string>();
for (let cp = 0xff66; cp <= 0xff9d; cp++) {
  const half = String.fromCharCode(cp);
  for (const spelling of [half, `${half}\uff9e`, `${half}\uff9f`]) {
    const full = spelling.normalize('NFKC');
    if (full.length === 1 && !HALF_WIDTH.has(full)) HALF_WIDTH.set(full, spelling);
  }
}

const toFullWidth = (ch: string) =>
  ch === ' ' ? '\u3000' : ch < '\u007f' ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch;

/** One spelling of a character that normalises back to the same thing. */
const VARIANTS: Array<(ch: string) => string> = [
  (ch) => ch,
  (ch) => ch.toUpperCase(),
  toFullWidth,
  (ch) => toFullWidth(ch.toUpperCase()),
  (ch) => HALF_WIDTH.get(ch) ?? ch,
];

// A small alphabet so keywords actually hit: letters, digits, a space, hiragana and
// katakana (with voiced, semi-voiced and small forms that have half-width spellings).
const CHARS = [...'abzAZ019 ', ...'あがぱっ', ...'アガパッヴーンヲ'];
const char = fc.constantFrom(...CHARS);
const subjectArb = fc.array(char, { maxLength: 24 }).map((cs) => cs.join(''));
const keywordArb = fc
  .array(char, { minLength: 1, maxLength: 3 })
  .map((cs) => cs.join(''))
  .filter((k) => k.trim() !== '');
const ruleArb: fc.Arbitrary<RoutingRuleSpec> = fc.record({
  product: fc.constantFrom('p1', 'p2', 'p3'),
  keywords: fc.array(keywordArb, { minLength: 1, maxLength: 4 }),
  match: fc.constantFrom('any' as const, 'all' as const),
  wholeWord: fc.boolean(),
});
const rulesArb = fc.array(ruleArb, { maxLength: 8 });
const fallbackArb = fc.constantFrom('general', null);

describe('subject routing properties', () => {
  it('routes a width or case variant of a subject exactly like the subject', () => {
    fc.assert(
      fc.property(
        rulesArb,
        fallbackArb,
        fc.array(char, { maxLength: 24 }),
        fc.array(fc.nat(VARIANTS.length - 1), { minLength: 1 }),
        (rules, fallback, chars, picks) => {
          const subject = chars.join('');
          const variant = chars.map((ch, i) => VARIANTS[picks[i % picks.length]!]!(ch)).join('');
          for (const ahoCorasickFrom of [0, Infinity]) {
            const router = compileRouter(rules, fallback, { ahoCorasickFrom });
            expect(router.route(variant)).toEqual(router.route(subject));
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('gives the same result under the scan and Aho-Corasick strategies', () => {
    fc.assert(
      fc.property(
        rulesArb,
        fallbackArb,
        fc.array(subjectArb, { maxLength: 8 }),
        (rules, fallback, subjects) => {
          const scan = compileRouter(rules, fallback, { ahoCorasickFrom: Infinity });
          const automaton = compileRouter(rules, fallback, { ahoCorasickFrom: 0 });
          expect([scan.strategy, automaton.strategy]).toEqual(['scan', 'aho-corasick']);
          expect(automaton.keywordCount).toBe(scan.keywordCount);
          for (const subject of subjects) {
            expect(automaton.route(subject)).toEqual(scan.route(subject));
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
