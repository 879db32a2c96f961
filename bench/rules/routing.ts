// Subject-keyword routing: compiled router vs the naive "every rule, every keyword" loop.
// Run alone with `npx tsx bench/rules/routing.ts`.
import { compileRouter, type RoutingRuleSpec } from '../../worker/rules/routing/compile-router.js';
import { normalizeText } from '../../worker/rules/routing/normalize-subject.js';
import { check, SMOKE } from '../mode.js';

/** Small deterministic PRNG (mulberry32) so every run routes the same tickets. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LATIN_SYLLABLES =
  'zen tri ko va lux or bi ta nex mo ra quin del fi sol ar cu ven plo gra'.split(' ');
const LATIN_NOUNS =
  'pay cloud sync vault desk mail crm backup analytics chat forms drive shop id hr'.split(' ');
const KANA_SYLLABLES =
  'ゼン トリ コ ヴァ ルク オル ビ タ ネク モ ラ クイ デル フィ ソル アル ク ベン プロ グラ'.split(
    ' ',
  );
const JA_NOUNS =
  '決済 クラウド 同期 金庫 デスク メール 会計 バックアップ 分析 チャット 勤怠 人事'.split(' ');
const EN_FILLER = [
  'Cannot log in after the password reset today',
  'Invoice for last month shows the wrong amount',
  'Export to CSV times out for large date ranges',
  'Please add two more agents to our subscription',
  'Two-factor codes are not arriving by SMS',
  'How do I change the billing contact address?',
];
const JA_FILLER = [
  'パスワード再設定後にログインできない件について',
  '先月分の請求書の金額が間違っているようです',
  '大量データのエクスポートがタイムアウトします',
  '担当者を二名追加したいので手続きを教えてください',
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** Product-like keywords, about one in three Japanese, all distinct after normalisation. */
function productKeywords(count: number, rand: () => number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < count) {
    const japanese = rand() < 0.35;
    const brand = japanese
      ? pick(rand, KANA_SYLLABLES) + pick(rand, KANA_SYLLABLES) + pick(rand, KANA_SYLLABLES)
      : pick(rand, LATIN_SYLLABLES) + pick(rand, LATIN_SYLLABLES) + pick(rand, LATIN_SYLLABLES);
    const noun = japanese ? pick(rand, JA_NOUNS) : pick(rand, LATIN_NOUNS);
    let keyword = japanese ? brand + noun : `${brand} ${noun}`;
    if (rand() < 0.3)
      keyword += japanese ? String(Math.floor(rand() * 100)) : ` ${Math.floor(rand() * 10)}`;
    const norm = normalizeText(keyword);
    if (seen.has(norm)) continue;
    seen.add(norm);
    out.push(keyword);
  }
  return out;
}

export interface RoutingFixture {
  rules: RoutingRuleSpec[];
  subjects: string[];
}

/** Rules of 1-4 keywords (one in ten 'all'), and ~45-char subjects: most hit nothing, some hit late rules. */
export function routingFixture(keywordTotal: number, seed = 20261110): RoutingFixture {
  const rand = prng(seed + keywordTotal);
  const keywords = productKeywords(keywordTotal, rand);
  const rules: RoutingRuleSpec[] = [];
  for (let i = 0; i < keywords.length;) {
    const size = Math.min(1 + Math.floor(rand() * 4), keywords.length - i);
    const all = size > 1 && rand() < 0.1;
    rules.push({
      product: `product-${rules.length}`,
      keywords: keywords.slice(i, i + size),
      match: all ? 'all' : 'any',
      wholeWord: false,
    });
    i += size;
  }
  const subjects: string[] = [];
  for (let n = 0; n < 400; n++) {
    const roll = rand();
    if (roll < 0.75) {
      subjects.push(pick(rand, rand() < 0.6 ? EN_FILLER : JA_FILLER));
      continue;
    }
    // A keyword from the last tenth of the rules (or any rule, rarely), in a realistic sentence.
    const late = roll < 0.95;
    const from = late ? Math.floor(rules.length * 0.9) : 0;
    const rule = rules[from + Math.floor(rand() * (rules.length - from))]!;
    const keyword = pick(rand, rule.keywords);
    subjects.push(
      /[\u3000-\u9fff]/.test(keyword)
        ? `${keyword}のログインエラーについて至急確認をお願いします`
        : `Sync errors in ${keyword.toUpperCase()} since the update`,
    );
  }
  return { rules, subjects };
}

/** The baseline: every rule in order, every keyword, includes() on the normalised subject. */
export function naiveRouter(rules: RoutingRuleSpec[], defaultProduct: string | null) {
  const compiled = rules.map((rule) => ({
    product: rule.product,
    all: rule.match === 'all',
    keywords: rule.keywords.map(normalizeText),
  }));
  return (subject: string): string | null => {
    const s = normalizeText(subject);
    for (const rule of compiled) {
      if (
        rule.all
          ? rule.keywords.every((k) => s.includes(k))
          : rule.keywords.some((k) => s.includes(k))
      ) {
        return rule.product;
      }
    }
    return defaultProduct;
  };
}

let sink = 0;

/** Microseconds per call: whole passes over the subjects until at least budgetMs has elapsed. */
export function microsPerCall(
  route: (s: string) => unknown,
  subjects: string[],
  budgetMs: number,
): number {
  const budget = BigInt(Math.round(budgetMs * 1e6));
  const start = process.hrtime.bigint();
  let calls = 0;
  let elapsed = 0n;
  do {
    for (const subject of subjects) if (route(subject) !== undefined) sink++;
    calls += subjects.length;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < budget);
  return Number(elapsed) / 1000 / calls;
}

export async function benchRouting(): Promise<
  Array<{
    keywords: number;
    strategy: string;
    routerMicros: number;
    naiveMicros: number;
    speedup: number;
  }>
> {
  const rows = [];
  for (const keywords of [10, 1_000, 10_000]) {
    const { rules, subjects } = routingFixture(keywords);
    const router = compileRouter(rules, 'general');
    const naive = naiveRouter(rules, 'general');
    let routed = 0;
    for (const subject of subjects) {
      const product = router.route(subject).product;
      check(product === naive(subject), `router and naive loop disagree on ${subject}`);
      if (product !== 'general') routed++;
    }
    check(routed > 0, `no subject matched any of the ${keywords} keywords`);
    // Warm both up, then alternate short rounds so machine noise hits both alike, and keep
    // each side's best round: on a shared machine the minimum is the steadiest figure.
    // Smoke mode: the same steps on a few milliseconds each.
    microsPerCall(router.route, subjects, SMOKE ? 10 : 150);
    microsPerCall(naive, subjects, SMOKE ? 10 : 150);
    let routerMicros = Infinity;
    let naiveMicros = Infinity;
    for (let round = 0; round < (SMOKE ? 2 : 20); round++) {
      routerMicros = Math.min(routerMicros, microsPerCall(router.route, subjects, SMOKE ? 5 : 40));
      naiveMicros = Math.min(naiveMicros, microsPerCall(naive, subjects, SMOKE ? 5 : 40));
    }
    rows.push({
      keywords: router.keywordCount,
      strategy: router.strategy,
      routerMicros: Number(routerMicros.toFixed(3)),
      naiveMicros: Number(naiveMicros.toFixed(3)),
      speedup: Number((naiveMicros / routerMicros).toFixed(2)),
    });
  }
  if (sink < 0) console.log(sink);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchRouting());
