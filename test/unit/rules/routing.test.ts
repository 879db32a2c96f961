import { describe, expect, it } from 'vitest';
import {
  compileRouter,
  DEFAULT_AHO_CORASICK_FROM,
  type RoutingRuleSpec,
} from '../../../worker/rules/routing/compile-router.js';
import { normalizeText } from '../../../worker/rules/routing/normalize-subject.js';

const rule = (
  product: string,
  keywords: string[],
  extra: Partial<Pick<RoutingRuleSpec, 'match' | 'wholeWord'>> = {},
): RoutingRuleSpec => ({ product, keywords, match: 'any', wholeWord: false, ...extra });

describe('normalizeText', () => {
  it('folds width and case, and tidies whitespace', () => {
    expect(normalizeText('ＰＲＯＤＵＣＴ　Ｘ')).toBe('product x');
    expect(normalizeText('  Product \t\n X  ')).toBe('product x');
    expect(normalizeText('ｾｷｭﾘﾃｨ ｶﾞｲﾄﾞ')).toBe('セキュリティ ガイド');
    expect(normalizeText('製品Ｘのログイン')).toBe('製品xのログイン');
  });
});

// Every behaviour must hold whichever strategy the router picked.
describe.each([
  ['scan', Infinity],
  ['aho-corasick', 0],
] as const)('routing subjects to products (%s)', (strategy, ahoCorasickFrom) => {
  const compile = (rules: RoutingRuleSpec[], fallback: string | null = 'general') => {
    const router = compileRouter(rules, fallback, { ahoCorasickFrom });
    expect(router.strategy).toBe(strategy);
    return router;
  };

  it('lets the first matching rule win, in configured order', () => {
    const router = compile([
      rule('billing', ['invoice']),
      rule('login', ['login', 'password']),
      rule('billing-login', ['invoice login']),
    ]);
    expect(router.route('Invoice login page broken')).toEqual({
      product: 'billing',
      ruleIndex: 0,
      matched: ['invoice'],
    });
    expect(router.route('Password and login both fail')).toEqual({
      product: 'login',
      ruleIndex: 1,
      matched: ['login', 'password'],
    });
  });

  it('falls back to the default product, which may be null', () => {
    expect(compile([rule('billing', ['invoice'])]).route('Cannot sign in')).toEqual({
      product: 'general',
      ruleIndex: null,
      matched: [],
    });
    expect(compile([rule('billing', ['invoice'])], null).route('').product).toBeNull();
    expect(compile([], null).route('anything')).toEqual({
      product: null,
      ruleIndex: null,
      matched: [],
    });
  });

  it("needs every keyword for a match: 'all' rule", () => {
    const router = compile([
      rule('sso', ['login', 'saml'], { match: 'all' }),
      rule('auth', ['login']),
    ]);
    expect(router.route('SAML login loop')).toMatchObject({
      product: 'sso',
      matched: ['login', 'saml'],
    });
    expect(router.route('Login loop')).toMatchObject({ product: 'auth', ruleIndex: 1 });
    expect(router.route('SAML metadata expired').product).toBe('general');
  });

  it('finds Japanese keywords inside subjects without spaces', () => {
    const router = compile([rule('x', ['製品X']), rule('sec', ['セキュリティ'])]);
    expect(router.route('製品Xのログインエラー')).toMatchObject({
      product: 'x',
      matched: ['製品X'],
    });
    expect(router.route('至急：セキュリティ診断の結果について').product).toBe('sec');
    expect(router.route('製品Yのログインエラー').product).toBe('general');
  });

  it('ignores case and width in subjects and keywords alike', () => {
    const router = compile([rule('x', ['ＰＲＯＤＵＣＴ Ｘ']), rule('sec', ['ｾｷｭﾘﾃｨ'])]);
    for (const subject of [
      'product x is down',
      'PRODUCT X is down',
      'ＰＲＯＤＵＣＴ　Ｘ is down',
    ]) {
      expect(router.route(subject)).toMatchObject({ product: 'x', matched: ['ＰＲＯＤＵＣＴ Ｘ'] });
    }
    expect(router.route('セキュリティ警告').product).toBe('sec');
    expect(router.route('ｾｷｭﾘﾃｨ警告').product).toBe('sec');
    expect(router.route('Product   x\tdown').product).toBe('x');
  });

  it('counts a wholeWord hit only between non-letters and non-digits', () => {
    const router = compile([rule('ai', ['AI'], { wholeWord: true })]);
    expect(router.route('Email bounces').product).toBe('general');
    expect(router.route('AI summary is wrong').product).toBe('ai');
    expect(router.route('Broken (ai) summaries').product).toBe('ai');
    expect(router.route('AI-powered replies').product).toBe('ai');
    expect(router.route('AI2 model').product).toBe('general');
    expect(router.route('新しいAI機能').product).toBe('general'); // kanji are letters
    expect(router.route('email, then AI').product).toBe('ai'); // a later occurrence can count
    // Without wholeWord the same keyword is a plain substring.
    expect(compile([rule('ai', ['ai'])]).route('Email bounces').product).toBe('ai');
  });

  it('handles a keyword that is a prefix of another', () => {
    const router = compile([
      rule('suite', ['product x suite']),
      rule('x', ['product x', 'product']),
    ]);
    expect(router.route('product x suite renewal')).toMatchObject({ ruleIndex: 0 });
    expect(router.route('product x renewal')).toMatchObject({
      ruleIndex: 1,
      matched: ['product x', 'product'],
    });
    expect(router.route('production outage')).toMatchObject({ ruleIndex: 1, matched: ['product'] });
    const whole = compile([rule('p', ['product'], { wholeWord: true })]);
    expect(whole.route('production outage').product).toBe('general');
  });

  it('sees overlapping hits', () => {
    const router = compile([rule('both', ['abc', 'bcd'], { match: 'all' })]);
    expect(router.route('abcd')).toMatchObject({ product: 'both', matched: ['abc', 'bcd'] });
    // The first occurrence is glued to 'a'; an overlapping later one stands alone.
    const whole = compile([rule('xx', ['x-x'], { wholeWord: true })]);
    expect(whole.route('ax-x-x').product).toBe('xx');
    expect(whole.route('ax-x-xb').product).toBe('general');
  });

  it('dedupes keywords that normalise alike, reporting the first spelling', () => {
    const router = compile([
      rule('x', ['Product X', 'ＰＲＯＤＵＣＴ Ｘ', 'product  x'], { match: 'all' }),
      rule('y', ['product x', 'other']),
    ]);
    expect(router.keywordCount).toBe(2);
    expect(router.route('product x')).toEqual({
      product: 'x',
      ruleIndex: 0,
      matched: ['Product X'],
    });
  });

  it('rejects a keyword that normalises to nothing', () => {
    expect(() => compileRouter([rule('x', ['  '])], null, { ahoCorasickFrom })).toThrow(/empty/);
  });
});

describe('choosing a strategy', () => {
  it('scans below the threshold and builds an automaton from it', () => {
    const keywords = (n: number) => Array.from({ length: n }, (_, i) => `kw${i}z`);
    const below = compileRouter([rule('p', keywords(DEFAULT_AHO_CORASICK_FROM - 1))], null);
    const at = compileRouter([rule('p', keywords(DEFAULT_AHO_CORASICK_FROM))], null);
    expect([below.strategy, at.strategy]).toEqual(['scan', 'aho-corasick']);
    expect(compileRouter([rule('p', ['a', 'b'])], null, { ahoCorasickFrom: 2 }).strategy).toBe(
      'aho-corasick',
    );
  });

  it('routes correctly with 10,000 keywords', () => {
    const rules: RoutingRuleSpec[] = [];
    for (let r = 0; r < 2_500; r++) {
      const base = r * 4;
      rules.push(
        rule(
          `product-${r}`,
          [`acme ${base} cloud`, `acme ${base + 1} sync`, `製品${base + 2}番`, `ｱｸﾒ${base + 3}号`],
          { match: r % 10 === 9 ? 'all' : 'any', wholeWord: r % 7 === 0 },
        ),
      );
    }
    const router = compileRouter(rules, 'general');
    expect(router).toMatchObject({ keywordCount: 10_000, strategy: 'aho-corasick' });
    const scan = compileRouter(rules, 'general', { ahoCorasickFrom: Infinity });
    const cases: Array<[string, string, number | null]> = [
      ['ACME 9996 CLOUD login fails', 'general', null], // rule 2499 is 'all'
      ['acme 9996 cloud, acme 9997 sync, 製品9998番 and アクメ9999号', 'product-2499', 2499],
      ['製品9994番のログインエラー', 'product-2498', 2498],
      ['ｱｸﾒ5003号 outage', 'product-1250', 1250],
      ['acme 0 cloudy', 'general', null], // rule 0 is wholeWord
      ['acme 0 cloud / acme 4 cloud', 'product-0', 0],
      ['Password reset email never arrives', 'general', null],
    ];
    for (const [subject, product, ruleIndex] of cases) {
      expect(router.route(subject), subject).toMatchObject({ product, ruleIndex });
      expect(router.route(subject)).toEqual(scan.route(subject));
    }
  });
});
