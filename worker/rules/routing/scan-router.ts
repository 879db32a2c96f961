import type { CompiledRule } from './compile-rules.js';
import { normalizeText } from './normalize-subject.js';
import type { RouteResult } from './routing-types.js';
import { containsWholeWord } from './word-boundary.js';

/**
 * Index of the first keyword of the rule that makes it hold (0 for a satisfied 'all'
 * rule), or -1. Written out by hand: this path competes with the naive loop itself.
 */
function firstHit(rule: CompiledRule, s: string): number {
  const keywords = rule.normalized;
  if (rule.wholeWord) {
    for (let k = 0; k < keywords.length; k++) {
      if (containsWholeWord(s, keywords[k]!) !== rule.all) return rule.all ? -1 : k;
    }
    return rule.all ? 0 : -1;
  }
  if (rule.all) {
    for (let k = 0; k < keywords.length; k++) if (!s.includes(keywords[k]!)) return -1;
    return 0;
  }
  for (let k = 0; k < keywords.length; k++) if (s.includes(keywords[k]!)) return k;
  return -1;
}

/** The winning rule's configured keywords that occur, given the first one that does. */
function matchedFrom(rule: CompiledRule, s: string, first: number): string[] {
  if (rule.all) return rule.keywords.slice();
  const matched = [rule.keywords[first]!];
  for (let k = first + 1; k < rule.keywords.length; k++) {
    const keyword = rule.normalized[k]!;
    if (rule.wholeWord ? containsWholeWord(s, keyword) : s.includes(keyword)) {
      matched.push(rule.keywords[k]!);
    }
  }
  return matched;
}

/** Rules tried in order with plain includes(); cheapest when there are few keywords. */
export function scanRoute(
  rules: readonly CompiledRule[],
  defaultProduct: string | null,
): (subject: string) => RouteResult {
  return (subject) => {
    const s = normalizeText(subject);
    for (let r = 0; r < rules.length; r++) {
      const first = firstHit(rules[r]!, s);
      if (first === -1) continue;
      const rule = rules[r]!;
      return { product: rule.product, ruleIndex: r, matched: matchedFrom(rule, s, first) };
    }
    return { product: defaultProduct, ruleIndex: null, matched: [] };
  };
}
