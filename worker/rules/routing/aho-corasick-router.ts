import { AhoCorasick } from '@monyone/aho-corasick/fast';
import type { CompiledRule } from './compile-rules.js';
import { normalizeText } from './normalize-subject.js';
import type { RouteResult } from './routing-types.js';
import { isWholeWordAt } from './word-boundary.js';

/**
 * One automaton over every distinct keyword; a route is one pass over the subject.
 * Per-call hit flags live in stamp arrays: a keyword was hit in this call when its
 * stamp equals the call's generation, so nothing is cleared or allocated per keyword.
 */
export function ahoCorasickRoute(
  rules: readonly CompiledRule[],
  defaultProduct: string | null,
): (subject: string) => RouteResult {
  const idOf = new Map<string, number>();
  const owners: number[][] = []; // keyword id -> owning rule indices, ascending
  const needsWhole: boolean[] = []; // some owner counts only whole-word hits
  const ruleIds = rules.map((rule, r) =>
    rule.normalized.map((norm) => {
      let id = idOf.get(norm);
      if (id === undefined) {
        id = owners.length;
        idOf.set(norm, id);
        owners.push([]);
        needsWhole.push(false);
      }
      owners[id]!.push(r);
      if (rule.wholeWord) needsWhole[id] = true;
      return id;
    }),
  );
  const automaton = new AhoCorasick([...idOf.keys()]);
  const hitStamp = new Int32Array(owners.length);
  const wholeStamp = new Int32Array(owners.length);
  let generation = 0;

  const holds = (r: number): boolean => {
    const stamps = rules[r]!.wholeWord ? wholeStamp : hitStamp;
    const ids = ruleIds[r]!;
    if (rules[r]!.all) {
      for (const id of ids) if (stamps[id] !== generation) return false;
      return true;
    }
    for (const id of ids) if (stamps[id] === generation) return true;
    return false;
  };

  return (subject) => {
    const s = normalizeText(subject);
    const hits = automaton.matchInText(s);
    if (hits.length === 0) return { product: defaultProduct, ruleIndex: null, matched: [] };
    if (++generation === 0x7fffffff) {
      hitStamp.fill(0);
      wholeStamp.fill(0);
      generation = 1;
    }
    const hitIds: number[] = [];
    for (const { begin, end, keyword } of hits) {
      const id = idOf.get(keyword)!;
      if (hitStamp[id] !== generation) {
        hitStamp[id] = generation;
        hitIds.push(id);
      }
      if (needsWhole[id] && wholeStamp[id] !== generation && isWholeWordAt(s, begin, end)) {
        wholeStamp[id] = generation;
      }
    }
    // The lowest-index rule that owns a hit keyword and whose condition holds wins.
    let best = rules.length;
    for (const id of hitIds) {
      for (const r of owners[id]!) {
        if (r >= best) break;
        if (holds(r)) {
          best = r;
          break;
        }
      }
    }
    if (best === rules.length) return { product: defaultProduct, ruleIndex: null, matched: [] };
    const rule = rules[best]!;
    const stamps = rule.wholeWord ? wholeStamp : hitStamp;
    const matched = rule.keywords.filter((_, k) => stamps[ruleIds[best]![k]!] === generation);
    return { product: rule.product, ruleIndex: best, matched };
  };
}
