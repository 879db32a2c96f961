export interface RoutingRuleSpec {
  product: string;
  keywords: string[];
  match: 'any' | 'all';
  wholeWord: boolean;
}

export interface RouteResult {
  product: string | null;
  /** Index of the winning rule in the configured order; null when the default applied. */
  ruleIndex: number | null;
  /** The winning rule's keywords, as configured, that occur in the subject. */
  matched: string[];
}

export interface Router {
  /** Distinct keywords after normalisation, over all rules. */
  readonly keywordCount: number;
  readonly strategy: 'scan' | 'aho-corasick';
  route(subject: string): RouteResult;
}
