import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { ApiTokens } from '../api/api-tokens.js';
import { BackfillError, type Backfills } from '../../worker/backfill/backfills.js';
import { canSee, type Principal } from '../api/principal.js';
import type { BackfillNotice, BackfillState } from './backfill-panel.js';
import { customerView } from './customer-view.js';
import type { SafeHtml } from './html.js';
import { loginView } from './login-view.js';
import { notFoundView } from './not-found-view.js';
import { overviewView, type OverviewSort } from './overview-view.js';
import {
  shareableContract,
  slaCounts,
  tenantUsage,
  visibleTenantIds,
  type PageDataDeps,
} from './page-data.js';
import { pageMessages, type PageLocale } from './page-messages.js';
import {
  cookieValue,
  SESSION_COOKIE,
  sessionPrincipalResolver,
  type PageSessions,
} from './page-sessions.js';
import type { ShareLinks } from './share-links.js';
import { tenantView } from './tenant-view.js';

export interface PagesDeps extends PageDataDeps {
  tokens: ApiTokens;
  sessions: PageSessions;
  shareLinks: ShareLinks;
  logger: Logger;
  /** The admin API's backfills (the same instance); absent: the tenant page shows no backfill. */
  backfills?: Backfills;
  /** The clock (tests set it); default Date.now. */
  now?: () => number;
  /** Periods the tenant page's chart shows; default 6. */
  historyPeriods?: number;
}

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
const CSS = asset('pages.css');
const ICON = asset('icon.svg');

/** No script at all, styles from our own file, forms only to us, never framed. */
export const PAGES_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const LANG_COOKIE = 'deskplan_lang';

/** The browser's first choice between English and Japanese (Accept-Language), default English. */
const browserLocale = (req: Request): PageLocale =>
  req.acceptsLanguages('en', 'ja') === 'ja' ? 'ja' : 'en';

function send(res: Response, status: number, page: SafeHtml): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': PAGES_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
    })
    .send(page.text);
}

/** A local path to go back to after login; anything else (another origin) becomes '/'. */
const localPath = (next: unknown) =>
  typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';

const principalName = (p: Principal) =>
  p.kind === 'agency' ? p.name : `${p.tenantId} · ${p.name}`;

/**
 * Refuses a form post from another site: SameSite=Strict keeps the session cookie off it
 * already; the Origin and Sec-Fetch-Site headers, when the browser sends them, must agree.
 */
function sameOrigin(req: Request, res: Response, next: NextFunction): void {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  let host: string | null = null;
  try {
    host = origin && origin !== 'null' ? new URL(origin).host : null;
  } catch {
    host = 'invalid';
  }
  if (site === 'cross-site' || origin === 'null' || (host !== null && host !== req.headers.host)) {
    res.status(403).type('text/plain').send('cross-site form posts are refused');
    return;
  }
  next();
}

/**
 * deskplan's pages: login, the agency overview, a tenant's page, and the customer page behind a
 * share link. Server-rendered, no script; mounted at the web app's root beside /api.
 */
export function createPagesRouter(deps: PagesDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const principalOf = sessionPrincipalResolver(deps.sessions, deps.tokens);
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const secure = (req: Request) => req.secure;

  const chosenLocale = (req: Request, res: Response, fallback: PageLocale = 'en'): PageLocale => {
    const asked = req.query.lang;
    if (asked === 'en' || asked === 'ja') {
      res.cookie(LANG_COOKIE, asked, {
        sameSite: 'lax',
        httpOnly: true,
        secure: secure(req),
        path: '/',
        maxAge: 365 * 86_400_000,
      });
      return asked;
    }
    const kept = cookieValue(req, LANG_COOKIE);
    return kept === 'en' || kept === 'ja' ? kept : fallback;
  };
  const languageLinks = (req: Request) => {
    const params = new URLSearchParams(req.query as Record<string, string>);
    const at = (lang: string) => {
      params.set('lang', lang);
      return `${req.path}?${params.toString()}`;
    };
    return { en: at('en'), ja: at('ja') };
  };

  /** The signed-in principal, or a redirect to the login page (null). */
  const signedIn = async (req: Request, res: Response): Promise<Principal | null> => {
    const principal = await principalOf(req);
    if (principal) return principal;
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    return null;
  };

  router.get('/assets/pages.css', (_req, res) => {
    res.set({ 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' });
    res.type('text/css').send(CSS);
  });
  router.get(['/assets/icon.svg', '/favicon.ico'], (_req, res) => {
    res.set({ 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' });
    res.type('image/svg+xml').send(ICON);
  });

  router.get('/login', (req, res) => {
    const m = pageMessages(chosenLocale(req, res));
    const next = localPath(req.query.next);
    send(res, 200, loginView(m, { next, error: false, languages: languageLinks(req) }));
  });

  router.post('/login', sameOrigin, form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    const next = localPath(body.next);
    const principal = token ? await deps.tokens.verify(token) : null;
    if (!principal) {
      const m = pageMessages(chosenLocale(req, res));
      send(
        res,
        401,
        loginView(m, {
          next,
          error: true,
          languages: { en: '/login?lang=en', ja: '/login?lang=ja' },
        }),
      );
      return;
    }
    const id = await deps.sessions.create(principal);
    res.cookie(SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(req),
      path: '/',
      maxAge: deps.sessions.ttlMs,
    });
    deps.logger.info({ principal: principal.kind, token: principal.tokenId }, 'page login');
    const home =
      principal.kind === 'tenant' ? `/tenants/${encodeURIComponent(principal.tenantId)}` : '/';
    res.redirect(303, next === '/' ? home : next);
  });

  router.post('/logout', sameOrigin, async (req, res) => {
    const id = cookieValue(req, SESSION_COOKIE);
    if (id) await deps.sessions.destroy(id);
    res.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(req),
    });
    res.redirect(303, '/login');
  });

  router.get('/', async (req, res) => {
    const principal = await signedIn(req, res);
    if (!principal) return;
    let fallback: PageLocale = 'en';
    if (principal.kind === 'tenant') {
      fallback =
        (await deps.catalog.get(principal.tenantId).catch(() => null))?.compiled.rules.locale ??
        'en';
    }
    const locale = chosenLocale(req, res, fallback);
    const ids = await visibleTenantIds(deps, principal);
    const filter =
      typeof req.query.tenant === 'string' && ids.includes(req.query.tenant)
        ? req.query.tenant
        : null;
    const sort: OverviewSort =
      req.query.sort === 'usage' || req.query.sort === 'overage' ? req.query.sort : 'tenant';
    const nowMs = now();
    const tenants = await Promise.all(
      ids.map(async (tenantId) => {
        try {
          const [usage, sla] = await Promise.all([
            tenantUsage(deps, tenantId, nowMs),
            slaCounts(deps, tenantId, nowMs),
          ]);
          return { tenantId, usage, sla, problem: null };
        } catch (error) {
          deps.logger.warn({ err: error, tenant: tenantId }, 'tenant usage cannot be shown');
          return { tenantId, usage: null, sla: null, problem: (error as Error).message };
        }
      }),
    );
    send(
      res,
      200,
      overviewView({
        m: pageMessages(locale),
        locale,
        who: principalName(principal),
        tenants,
        filter,
        sort,
        languages: languageLinks(req),
      }),
    );
  });

  /** The tenant's backfill as its page shows it, or null when this process runs none. */
  const backfillState = async (
    principal: Principal,
    tenantId: string,
    notice: BackfillNotice | null,
  ): Promise<BackfillState | null> => {
    if (!deps.backfills) return null;
    const progress = await deps.backfills.current(tenantId);
    // Starting one is the agency's, as in the admin API (POST /api/tenants/:id/backfill).
    return { progress, canStart: principal.kind === 'agency', notice };
  };

  const tenantPage = async (
    req: Request,
    res: Response,
    options: {
      /** Already resolved by the form post that shows this page (not read again). */
      principal?: Principal;
      created?: { contractId: string; url: string };
      notice?: { kind: BackfillNotice; status: number };
    } = {},
  ) => {
    const created = options.created ?? null;
    const principal = options.principal ?? (await signedIn(req, res));
    if (!principal) return;
    const tenantId = String(req.params.tenantId);
    const usage = canSee(principal, tenantId)
      ? await tenantUsage(deps, tenantId, now(), { historyPeriods: deps.historyPeriods ?? 6 })
      : null;
    if (!usage) {
      send(
        res,
        404,
        notFoundView(pageMessages(chosenLocale(req, res)), {
          shareLink: false,
          who: principalName(principal),
        }),
      );
      return;
    }
    const [links, backfill] = await Promise.all([
      deps.shareLinks.list(tenantId),
      backfillState(principal, tenantId, options.notice?.kind ?? null),
    ]);
    send(
      res,
      options.notice?.status ?? (created ? 201 : 200),
      tenantView({
        m: pageMessages(usage.locale),
        who: principalName(principal),
        tenant: usage,
        links,
        created,
        backfill,
      }),
    );
  };

  router.get('/tenants/:tenantId', (req, res) => tenantPage(req, res));

  /** Starts (or resumes) the tenant's backfill, as POST /api/tenants/:id/backfill does. */
  router.post('/tenants/:tenantId/backfill', sameOrigin, async (req, res) => {
    const principal = await principalOf(req);
    if (!principal) {
      res.redirect(303, '/login');
      return;
    }
    const tenantId = String(req.params.tenantId);
    if (!deps.backfills || !canSee(principal, tenantId)) {
      send(
        res,
        404,
        notFoundView(pageMessages('en'), { shareLink: false, who: principalName(principal) }),
      );
      return;
    }
    if (principal.kind !== 'agency') {
      await tenantPage(req, res, { principal, notice: { kind: 'agency-only', status: 403 } });
      return;
    }
    try {
      const { progress, started } = await deps.backfills.start(tenantId);
      deps.logger.info(
        { tenant: tenantId, backfill: progress.id, started, token: principal.tokenId },
        'backfill from the pages',
      );
    } catch (error) {
      if (!(error instanceof BackfillError)) throw error;
      deps.logger.info({ tenant: tenantId, err: error }, 'backfill refused');
      if (error.status === 404) {
        // An unknown tenant: its page answers 404 too.
        await tenantPage(req, res, { principal });
        return;
      }
      const kind: BackfillNotice = error.status === 409 ? 'busy' : 'unsupported';
      await tenantPage(req, res, { principal, notice: { kind, status: error.status } });
      return;
    }
    res.redirect(303, `/tenants/${encodeURIComponent(tenantId)}`);
  });

  /** A contract the signed-in principal may share, or null (the answer is sent). */
  const shareable = async (req: Request, res: Response) => {
    const principal = await principalOf(req);
    if (!principal) {
      res.redirect(303, '/login');
      return null;
    }
    const tenantId = String(req.params.tenantId);
    const contractId = String(req.params.contractId);
    const loaded = canSee(principal, tenantId) ? await deps.catalog.get(tenantId) : null;
    if (!loaded || !shareableContract(loaded.compiled, contractId, now())) {
      send(
        res,
        404,
        notFoundView(pageMessages('en'), { shareLink: false, who: principalName(principal) }),
      );
      return null;
    }
    return { principal, tenantId, contractId };
  };

  router.post('/tenants/:tenantId/contracts/:contractId/share', sameOrigin, async (req, res) => {
    const target = await shareable(req, res);
    if (!target) return;
    const link = await deps.shareLinks.create(
      target.tenantId,
      target.contractId,
      principalName(target.principal),
    );
    const url = `${req.protocol}://${req.get('host')}/share/${link.token}`;
    await tenantPage(req, res, {
      principal: target.principal,
      created: { contractId: target.contractId, url },
    });
  });

  router.post(
    '/tenants/:tenantId/contracts/:contractId/revoke',
    sameOrigin,
    form,
    async (req, res) => {
      const target = await shareable(req, res);
      if (!target) return;
      const id = String((req.body as Record<string, unknown> | undefined)?.link ?? '');
      const link = (await deps.shareLinks.list(target.tenantId, target.contractId)).find(
        (l) => l.id === id,
      );
      if (link) await deps.shareLinks.revoke(target.tenantId, link.id);
      res.redirect(303, `/tenants/${encodeURIComponent(target.tenantId)}`);
    },
  );

  router.get('/share/:token', async (req, res) => {
    const link = await deps.shareLinks.resolve(String(req.params.token));
    const usage = link
      ? await tenantUsage(deps, link.tenantId, now(), { contractId: link.contractId }).catch(
          () => null,
        )
      : null;
    const contract = usage?.contracts.find((c) => c.id === link?.contractId && !c.perAccount);
    if (!usage || !contract) {
      // A revoked or unknown link names no tenant: the browser's language.
      send(
        res,
        404,
        notFoundView(pageMessages(usage?.locale ?? browserLocale(req)), { shareLink: true }),
      );
      return;
    }
    send(res, 200, customerView(pageMessages(usage.locale), usage, contract));
  });

  return router;
}
