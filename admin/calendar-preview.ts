// deskplan calendar TENANT CAL [--from YYYY-MM-DD] [--days N]: each day's open spans.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { calendarSpec } from '../worker/rules/calendar/calendar-spec.js';
import {
  compileCalendar,
  dayKind,
  type DayKind,
} from '../worker/rules/calendar/compile-calendar.js';
import { localDateSchema } from '../worker/rules/config/clock-time.js';
import { parseTenantRules } from '../worker/rules/config/parse-tenant-rules.js';
import { listTenantFiles, parseTenantText } from '../worker/tenants/load-tenants-dir.js';

const CALENDAR_USAGE = `usage: deskplan calendar TENANT CALENDAR [--from YYYY-MM-DD] [--days N]
  Prints each day's open spans of a tenant's business-hours calendar, in the calendar's zone
  (the tenant's unless the calendar names its own), with why a day differs from its weekday:
  special hours, a listed holiday, a public holiday, or a public holiday worked anyway.
  --from  first date (default: today in the calendar's zone)
  --days  number of days, 1 to 366 (default 14)
  The tenant is read from its file in TENANTS_DIR. Exit codes: 0 ok, 1 unknown or invalid
  tenant or calendar, 2 usage error.`;

export interface PreviewResult {
  code: 0 | 1 | 2;
  out: string;
  err: string;
}

const usageError = (message: string): PreviewResult => ({
  code: 2,
  out: '',
  err: `deskplan calendar: ${message}\n${CALENDAR_USAGE}\n`,
});
const notFound = (message: string): PreviewResult => ({
  code: 1,
  out: '',
  err: `deskplan calendar: ${message}\n`,
});

/** The tenant file whose id is `tenantId`, parsed (YAML or JSON), or null. */
async function readTenant(dir: string, tenantId: string): Promise<Record<string, unknown> | null> {
  for (const file of await listTenantFiles(dir)) {
    const text = await readFile(join(dir, file), 'utf8');
    let input: unknown;
    try {
      input = parseTenantText(file, text);
    } catch {
      continue;
    }
    if (input && typeof input === 'object' && (input as { id?: unknown }).id === tenantId) {
      return input as Record<string, unknown>;
    }
  }
  return null;
}

/** Why a date's hours are not its weekday's, or ''. */
const REASONS: Record<DayKind, string> = {
  special: 'special hours',
  holiday: 'holiday',
  'public-holiday-open': 'public holiday, open anyway',
  'public-holiday': 'public holiday',
  weekday: '',
};

export async function runCalendarPreview(
  argv: string[],
  options: { tenantsDir: string; nowMs: number },
): Promise<PreviewResult> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        days: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (parsed.values.help) return { code: 0, out: `${CALENDAR_USAGE}\n`, err: '' };
  const [tenantId, calendarId, ...extra] = parsed.positionals;
  if (!tenantId || !calendarId) return usageError('give a tenant and a calendar');
  if (extra.length > 0) return usageError(`unexpected argument '${extra[0]}'`);
  const days = Number(parsed.values.days ?? 14);
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    return usageError(`--days must be a whole number from 1 to 366, not '${parsed.values.days}'`);
  }
  const fromText = parsed.values.from;
  if (fromText !== undefined && !localDateSchema.safeParse(fromText).success) {
    return usageError(`--from must be a date as YYYY-MM-DD, not '${fromText}'`);
  }

  let input: Record<string, unknown> | null;
  try {
    input = await readTenant(options.tenantsDir, tenantId);
  } catch (error) {
    return notFound(
      `cannot read the tenants in ${options.tenantsDir}: ${(error as Error).message}`,
    );
  }
  if (!input) return notFound(`unknown tenant '${tenantId}' (no file in ${options.tenantsDir})`);
  // Only the rules matter here: the connection (and its secrets) is left out.
  const { connection: _connection, ...rulesInput } = input;
  const rules = parseTenantRules(rulesInput);
  if (!rules.ok)
    return notFound(`tenant '${tenantId}' is invalid:\n  ${rules.problems.join('\n  ')}`);
  const calendar = rules.rules.calendars.find((c) => c.id === calendarId);
  if (!calendar) {
    const known = rules.rules.calendars.map((c) => `'${c.id}'`).join(', ') || 'none defined';
    return notFound(`unknown calendar '${calendarId}' of tenant '${tenantId}' (known: ${known})`);
  }

  const spec = calendarSpec(calendar, rules.rules.timeZone);
  const compiled = compileCalendar(calendar.id, spec);
  const zone = spec.timeZone;
  const first =
    fromText === undefined
      ? DateTime.fromMillis(options.nowMs, { zone }).startOf('day')
      : DateTime.fromISO(fromText, { zone });
  const lines = [`tenant ${tenantId}, calendar ${calendar.id}, times in ${zone}`];
  for (let i = 0; i < days; i++) {
    const day = first.plus({ days: i });
    const date = day.toISODate()!;
    const next = day.plus({ days: 1 }).toMillis();
    const clock = (ms: number) =>
      ms >= next ? '24:00' : DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');
    const spans = compiled.openSpansOn(date).map(([a, b]) => `${clock(a)}-${clock(b)}`);
    const why = REASONS[dayKind(spec, date)];
    lines.push(
      `${day.toFormat('ccc', { locale: 'en' })} ${date}  ${spans.join(', ') || 'closed'}${why ? `  (${why})` : ''}`,
    );
  }
  return { code: 0, out: `${lines.join('\n')}\n`, err: '' };
}
