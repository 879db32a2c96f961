import { normalizeText } from './normalize-subject.js';
import type { RoutingRuleSpec } from './routing-types.js';

/** A rule with its keywords normalised and deduplicated (first spelling kept). */
export interface CompiledRule {
  readonly product: string;
  /** Configured spellings, parallel to `normalized`. */
  readonly keywords: readonly string[];
  readonly normalized: readonly string[];
  readonly all: boolean;
  readonly wholeWord: boolean;
}

export function compileRules(rules: readonly RoutingRuleSpec[]): CompiledRule[] {
  return rules.map((rule, index) => {
    const keywords: string[] = [];
    const normalized: string[] = [];
    for (const keyword of rule.keywords) {
      const norm = normalizeText(keyword);
      if (norm === '') throw new Error(`routing rule ${index}: a keyword must not be empty`);
      if (normalized.includes(norm)) continue;
      keywords.push(keyword);
      normalized.push(norm);
    }
    if (normalized.length === 0) throw new Error(`routing rule ${index}: no keywords`);
    return {
      product: rule.product,
      keywords,
      normalized,
      all: rule.match === 'all',
      wholeWord: rule.wholeWord,
    };
  });
}
