import holidayJp from '@holiday-jp/holiday_jp';
import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import {
  compileCalendar,
  type CalendarSpec,
  type OpenInterval,
} from '../../../worker/rules/calendar/compile-calendar.js';
import { calendarSpec } from '../../../worker/rules/calendar/calendar-spec.js';
import { publicHolidays } from '../../../worker/rules/calendar/public-holidays.js';
import { calendarSchema } from '../../../worker/rules/config/calendar-schema.js';
import { targetSchema } from '../../../worker/rules/config/sla-schema.js';
import { parseTenantRules } from '../../../worker/rules/config/parse-tenant-rules.js';
import { compileTenant } from '../../../worker/rules/compile-tenant.js';
import { computeSla } from '../../../worker/rules/decision/sla-deadlines.js';
import { ticketEvent } from '../../helpers/rules-fixtures.js';

type Hours = CalendarSpec['hours'];
const weekdays = (...intervals: OpenInterval[]) =>
  Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, intervals])) as Hours;
const nineToSix = weekdays({ start: 540, end: 1080 });
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 60;
const spec = (timeZone: string, extra: Partial<CalendarSpec> = {}): CalendarSpec => ({
  timeZone,
  hours: nineToSix,
  holidays: [],
  ...extra,
});

describe('public holidays by country and region (date-holidays)', () => {
  const tokyo = compileCalendar('jp', spec('Asia/Tokyo', { publicHolidays: { country: 'JP' } }));
  const newYork = compileCalendar(
    'ny',
    spec('America/New_York', { publicHolidays: { country: 'US', state: 'NY' } }),
  );
  const berlin = compileCalendar(
    'be',
    spec('Europe/Berlin', { publicHolidays: { country: 'DE', state: 'BE' } }),
  );

  it('Golden Week in Tokyo: Fri 1 May 17:00 + 2 h skips 4-6 May (with the substitute day)', () => {
    expect(iso(tokyo.addMinutes(at('2026-05-01T17:00:00+09:00'), 2 * HOUR))).toBe(
      '2026-05-07T01:00:00.000Z',
    );
    expect(tokyo.isOpen(at('2026-05-06T10:00:00+09:00'))).toBe(false);
  });

  it('New York: Thanksgiving closes, the day after (an observance) stays open; DST-safe', () => {
    expect(newYork.isOpen(at('2026-11-26T10:00:00-05:00'))).toBe(false);
    expect(newYork.isOpen(at('2026-11-27T10:00:00-05:00'))).toBe(true);
    // Fri 30 Oct 17:00 EDT + 2 h: clocks go back on Sunday 1 Nov; Mon 2 Nov 10:00 EST.
    expect(iso(newYork.addMinutes(at('2026-10-30T17:00:00-04:00'), 2 * HOUR))).toBe(
      '2026-11-02T15:00:00.000Z',
    );
    // Christmas Eve is "optional" in date-holidays: not a public holiday, open.
    expect(newYork.isOpen(at('2026-12-24T10:00:00-05:00'))).toBe(true);
  });

  it("Berlin's own holiday (8 March, Women's Day) closes Berlin; Easter around DST too", () => {
    expect(berlin.isOpen(at('2027-03-08T10:00:00+01:00'))).toBe(false);
    // Good Friday 2027 is 26 March, two days before the clocks go forward.
    expect(berlin.isOpen(at('2027-03-26T10:00:00+01:00'))).toBe(false);
    // Thu 2 Apr 2026 17:00 CEST + 2 h: Good Friday 3 Apr and Easter Monday 6 Apr closed → Tue 10:00.
    expect(iso(berlin.addMinutes(at('2026-04-02T17:00:00+02:00'), 2 * HOUR))).toBe(
      '2026-04-07T08:00:00.000Z',
    );
    const bavaria = compileCalendar(
      'by',
      spec('Europe/Berlin', { publicHolidays: { country: 'DE', state: 'BY' } }),
    );
    expect(bavaria.isOpen(at('2026-06-04T10:00:00+02:00'))).toBe(false); // Corpus Christi
    expect(berlin.isOpen(at('2026-06-04T10:00:00+02:00'))).toBe(true);
  });

  it('works years ahead: years are expanded lazily, on the first day a walk touches', () => {
    // 1 Jan 2040 is a Sunday; 2 Jan 2040 is a substitute holiday in Japan.
    expect(iso(tokyo.addMinutes(at('2039-12-30T17:00:00+09:00'), 2 * HOUR))).toBe(
      '2040-01-03T01:00:00.000Z',
    );
    // Thanksgiving 2045 (23 Nov) in New York, from Wednesday 22 Nov 17:00 EST + 2 h.
    expect(iso(newYork.addMinutes(at('2045-11-22T17:00:00-05:00'), 2 * HOUR))).toBe(
      '2045-11-24T15:00:00.000Z',
    );
    // A 3-business-day target across Golden Week 2031 (3-6 May: Sat, Sun, Mon, Tue).
    expect(iso(tokyo.addBusinessDays(at('2031-05-01T10:00:00+09:00'), 3))).toBe(
      '2031-05-08T09:00:00.000Z',
    );
  });

  it('explicit dates close more days and open dates keep a public holiday open', () => {
    const c = compileCalendar(
      'jp-own',
      spec('Asia/Tokyo', {
        publicHolidays: { country: 'JP' },
        holidays: ['2026-12-29', '2026-12-30', '2026-12-31'],
        openDates: ['2026-11-23'],
      }),
    );
    expect(c.isOpen(at('2026-11-23T10:00:00+09:00'))).toBe(true); // Labour Thanksgiving, worked
    expect(c.isOpen(at('2026-11-03T10:00:00+09:00'))).toBe(false); // Culture Day
    expect(c.isOpen(at('2026-12-30T10:00:00+09:00'))).toBe(false);
    expect(c.isOpen(at('2026-12-28T10:00:00+09:00'))).toBe(true);
  });

  it('a one-day holiday on a 25-hour fall-back day closes only its own date (Austria)', () => {
    // National Day, Sun 26 Oct 2025, is the day Vienna's clocks go back: 25 hours long.
    const dates = publicHolidays({ country: 'AT' }, 2025);
    expect(dates.has('2025-10-26')).toBe(true);
    expect(dates.has('2025-10-27')).toBe(false);
    const vienna = compileCalendar(
      'at',
      spec('Europe/Vienna', { publicHolidays: { country: 'AT' } }),
    );
    expect(vienna.isOpen(at('2025-10-27T10:00:00+01:00'))).toBe(true);
  });

  it('date-holidays agrees with @holiday-jp/holiday_jp on Japan, 2000-2050', () => {
    const differences: string[] = [];
    for (let year = 2000; year <= 2050; year++) {
      const ours = publicHolidays({ country: 'JP' }, year);
      const theirs = Object.keys(holidayJp.holidays).filter((d) => d.startsWith(`${year}-`));
      for (const d of theirs) if (!ours.has(d)) differences.push(`missing ${d}`);
      for (const d of ours) if (!theirs.includes(d)) differences.push(`extra ${d}`);
    }
    expect(differences).toEqual([]);
  });

  it("notes where raw date-holidays differs: it misses two later Citizens' Holidays", () => {
    // deskplan adds them with the law's rule (a day between two holidays is one too).
    const raw = new Holidays('JP', { types: ['public'] });
    const missing: string[] = [];
    for (let year = 2000; year <= 2050; year++) {
      const dates = new Set(raw.getHolidays(year).map((h) => h.date.slice(0, 10)));
      for (const d of Object.keys(holidayJp.holidays)) {
        if (d.startsWith(`${year}-`) && !dates.has(d)) missing.push(d);
      }
    }
    expect(missing).toEqual(['2032-09-21', '2049-09-21']);
  });
});

describe('special hours on a date', () => {
  const newYork = compileCalendar(
    'ny',
    spec('America/New_York', {
      holidays: ['2026-12-25'],
      specialHours: {
        '2026-12-24': [{ start: 540, end: 720 }], // half day
        '2026-12-26': [{ start: 600, end: 840 }], // a Saturday opening
        '2026-11-01': [{ start: 60, end: 180 }], // the fall-back Sunday, 01:00-03:00
      },
    }),
  );

  it('a half day on Christmas Eve: Thu 24 Dec 11:00 + 2 h, Christmas closed → Sat 26 Dec 11:00', () => {
    expect(iso(newYork.addMinutes(at('2026-12-24T11:00:00-05:00'), 2 * HOUR))).toBe(
      '2026-12-26T16:00:00.000Z',
    );
    expect(newYork.isOpen(at('2026-12-24T13:00:00-05:00'))).toBe(false);
  });

  it('an extra Saturday opening counts its hours; Sunday stays closed', () => {
    expect(
      newYork.minutesBetween(at('2026-12-26T00:00:00-05:00'), at('2026-12-28T00:00:00-05:00')),
    ).toBe(4 * HOUR);
  });

  it('a special opening across the fall-back hour counts real elapsed time (3 h, not 2)', () => {
    expect(
      newYork.minutesBetween(at('2026-11-01T00:00:00-04:00'), at('2026-11-01T12:00:00-05:00')),
    ).toBe(3 * HOUR);
    expect(newYork.openSpansOn('2026-11-01').map(([a, b]) => [iso(a), iso(b)])).toEqual([
      ['2026-11-01T05:00:00.000Z', '2026-11-01T08:00:00.000Z'],
    ]);
  });

  it('special hours win over a public holiday, and [] closes an ordinary day', () => {
    const tokyo = compileCalendar(
      'jp',
      spec('Asia/Tokyo', {
        publicHolidays: { country: 'JP' },
        specialHours: { '2026-05-06': [{ start: 600, end: 720 }], '2026-05-07': [] },
      }),
    );
    expect(tokyo.isOpen(at('2026-05-06T11:00:00+09:00'))).toBe(true);
    expect(tokyo.isOpen(at('2026-05-07T11:00:00+09:00'))).toBe(false);
  });

  it('a Berlin special Sunday across the spring-forward gap (01:00-05:00 is 3 h)', () => {
    const berlin = compileCalendar(
      'be',
      spec('Europe/Berlin', { specialHours: { '2026-03-29': [{ start: 60, end: 300 }] } }),
    );
    expect(
      berlin.minutesBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00')),
    ).toBe(3 * HOUR);
  });
});

describe('breaks inside a day', () => {
  const lunch = { 1: [{ start: 720, end: 780 }], 2: [{ start: 720, end: 780 }] };
  const tokyo = compileCalendar('jp', spec('Asia/Tokyo', { breaks: lunch }));

  it('a lunch break stops the clock: Mon 11:30 + 1 h → 13:30; Wednesday has no break', () => {
    expect(iso(tokyo.addMinutes(at('2026-11-23T11:30:00+09:00'), HOUR))).toBe(
      '2026-11-23T04:30:00.000Z',
    );
    expect(iso(tokyo.addMinutes(at('2026-11-25T11:30:00+09:00'), HOUR))).toBe(
      '2026-11-25T03:30:00.000Z',
    );
    expect(tokyo.isOpen(at('2026-11-23T12:30:00+09:00'))).toBe(false);
    expect(
      tokyo.minutesBetween(at('2026-11-23T00:00:00+09:00'), at('2026-11-24T00:00:00+09:00')),
    ).toBe(8 * HOUR);
  });

  it('breaks apply on DST days in New York and Berlin, and not on special dates', () => {
    const everyDay = Object.fromEntries(
      [1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: 720, end: 780 }]]),
    );
    const allWeek = Object.fromEntries(
      [1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: 0, end: 1440 }]]),
    );
    const ny = compileCalendar(
      'ny',
      spec('America/New_York', { hours: allWeek, breaks: everyDay }),
    );
    // Spring-forward Sunday 8 Mar 2026 is 23 h long, minus the 1 h lunch.
    expect(
      ny.minutesBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00')),
    ).toBe(22 * HOUR);
    const be = compileCalendar(
      'be',
      spec('Europe/Berlin', {
        hours: allWeek,
        breaks: everyDay,
        specialHours: { '2026-10-26': [{ start: 0, end: 1440 }] },
      }),
    );
    // Fall-back Sunday 25 Oct 2026 is 25 h long, minus lunch; the special Monday keeps its lunch hour.
    expect(
      be.minutesBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00')),
    ).toBe(24 * HOUR);
    expect(
      be.minutesBetween(at('2026-10-26T00:00:00+01:00'), at('2026-10-27T00:00:00+01:00')),
    ).toBe(24 * HOUR);
  });
});

describe('business-day targets: due at the close of the n-th open day after the start day', () => {
  const berlin = compileCalendar('be', spec('Europe/Berlin'));
  const newYork = compileCalendar('ny', spec('America/New_York'));
  const tokyo = compileCalendar('jp', spec('Asia/Tokyo', { publicHolidays: { country: 'JP' } }));

  it('Berlin across spring-forward: Fri 27 Mar 15:00 + 3 business days → Wed 1 Apr 18:00 CEST', () => {
    expect(iso(berlin.addBusinessDays(at('2026-03-27T15:00:00+01:00'), 3))).toBe(
      '2026-04-01T16:00:00.000Z',
    );
    expect(iso(berlin.addBusinessDays(at('2026-03-27T15:00:00+01:00'), 1))).toBe(
      '2026-03-30T16:00:00.000Z',
    );
    // 0 business days: the close of the day the clock starts on.
    expect(iso(berlin.addBusinessDays(at('2026-03-27T15:00:00+01:00'), 0))).toBe(
      '2026-03-27T17:00:00.000Z',
    );
  });

  it('New York across fall-back: Fri 30 Oct 10:00 EDT + 1 business day → Mon 2 Nov 18:00 EST', () => {
    expect(iso(newYork.addBusinessDays(at('2026-10-30T10:00:00-04:00'), 1))).toBe(
      '2026-11-02T23:00:00.000Z',
    );
  });

  it('a ticket created after hours or at the weekend counts from its first open day', () => {
    // Saturday: the clock starts Monday, so 1 business day is Tuesday's close.
    expect(iso(newYork.addBusinessDays(at('2026-11-21T12:00:00-05:00'), 1))).toBe(
      '2026-11-24T23:00:00.000Z',
    );
    // Friday 19:00 (closed): the clock starts Monday 09:00, 0 days → Monday 18:00.
    expect(iso(newYork.addBusinessDays(at('2026-11-20T19:00:00-05:00'), 0))).toBe(
      '2026-11-23T23:00:00.000Z',
    );
  });

  it('Tokyo: holidays are not business days (Golden Week), half days are', () => {
    expect(iso(tokyo.addBusinessDays(at('2026-04-30T10:00:00+09:00'), 2))).toBe(
      '2026-05-07T09:00:00.000Z',
    );
    const halfDay = compileCalendar(
      'jp-half',
      spec('Asia/Tokyo', { specialHours: { '2026-12-28': [{ start: 540, end: 720 }] } }),
    );
    expect(iso(halfDay.addBusinessDays(at('2026-12-25T10:00:00+09:00'), 1))).toBe(
      '2026-12-28T03:00:00.000Z',
    );
  });

  it('a pause over a closing time carries the due to a later day; one for good stops it', () => {
    const start = at('2026-11-23T10:00:00-05:00'); // Monday
    const pendingOverTuesdayClose: [number, number][] = [
      [at('2026-11-24T17:00:00-05:00'), at('2026-11-25T10:00:00-05:00')],
    ];
    // Monday is day 0; Tuesday's close is paused so it does not count; Wed, Thu count.
    expect(iso(newYork.addBusinessDays(start, 2, pendingOverTuesdayClose))).toBe(
      '2026-11-26T23:00:00.000Z',
    );
    expect(newYork.addBusinessDays(start, 2, [[at('2026-11-24T12:00:00-05:00'), Infinity]])).toBe(
      Infinity,
    );
  });
});

describe('calendar and target settings in the config', () => {
  const base = { id: 'office', hours: { mon: ['09:00-18:00'], tue: ['09:00-18:00'] } };
  const problems = (calendar: object) => {
    const parsed = calendarSchema.safeParse({ ...base, ...calendar });
    return parsed.success
      ? []
      : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('keeps the plain list of holidays and accepts the country form beside it', () => {
    expect(calendarSchema.parse({ ...base, holidays: ['2026-11-03'] }).holidays).toEqual({
      dates: ['2026-11-03'],
      open: [],
    });
    const parsed = calendarSchema.parse({
      ...base,
      holidays: { country: 'US', state: 'NY', dates: ['2026-12-24'], open: ['2026-10-12'] },
      breaks: ['12:00-13:00'],
      specialHours: { '2026-12-26': ['10:00-14:00'] },
    });
    expect(parsed.holidays).toEqual({
      country: 'US',
      state: 'NY',
      dates: ['2026-12-24'],
      open: ['2026-10-12'],
    });
    expect(parsed.breaks.mon).toEqual([{ start: 720, end: 780 }]);
    const compiled = compileCalendar('office', calendarSpec(parsed, 'America/New_York'));
    expect(compiled.isOpen(at('2026-10-12T10:00:00-04:00'))).toBe(true); // Columbus Day, worked
    expect(compiled.isOpen(at('2026-11-03T10:00:00-05:00'))).toBe(false); // Election Day (NY)
    expect(compiled.isOpen(at('2026-12-26T11:00:00-05:00'))).toBe(true);
  });

  it('reports unknown regions, conflicting dates and breaks that close the week, by path', () => {
    expect(problems({ holidays: { country: 'XX' } })).toEqual([
      "holidays.country: unknown country 'XX' for public holidays (ISO 3166-1 alpha-2, such as JP, US, DE)",
    ]);
    expect(problems({ holidays: { country: 'US', state: 'ZZ' } })[0]).toMatch(
      /^holidays\.state: unknown state 'ZZ' of US \(known: /,
    );
    expect(problems({ holidays: { dates: ['2026-05-01'], open: ['2026-05-01'] } })).toEqual([
      'holidays.open: open dates keep a public holiday open: give the country whose holidays they are',
      'holidays.open.0: 2026-05-01 is also in holidays.dates: keep it in one list',
    ]);
    expect(
      problems({ holidays: ['2026-12-24'], specialHours: { '2026-12-24': ['09:00-12:00'] } }),
    ).toEqual([
      'specialHours.2026-12-24: 2026-12-24 is also listed in holidays: special hours already decide that date',
    ]);
    expect(
      problems({ breaks: { mon: ['08:00-19:00'], tue: ['09:00-12:00', '11:00-18:00'] } }),
    ).toEqual([
      'breaks: the breaks close every opening of the week: the calendar would never be open',
    ]);
    expect(problems({ specialHours: { '2026-02-30': ['09:00-12:00'] } })).toHaveLength(1);
  });

  it("reads '3bd' and { businessDays: 3 } as business days, other durations as minutes", () => {
    expect(targetSchema.parse('3bd')).toEqual({ businessDays: 3 });
    expect(targetSchema.parse({ businessDays: 2 })).toEqual({ businessDays: 2 });
    expect(targetSchema.parse('1h30m')).toBe(90);
    expect(targetSchema.safeParse({ businessDays: 1.5 }).success).toBe(false);
  });

  it('a tenant with a business-day resolution target parses and compiles', () => {
    const parsed = parseTenantRules({
      id: 'acme',
      timeZone: 'Asia/Tokyo',
      calendars: [{ ...base, holidays: { country: 'JP' }, breaks: { mon: ['12:00-13:00'] } }],
      slaPolicies: [
        {
          id: 'p',
          calendar: 'office',
          targets: { all: { firstResponse: '4h', resolution: '3bd' } },
        },
      ],
      plans: [{ id: 'a', name: 'A', sla: 'p', limits: [{ max: 5, per: 'month' }] }],
    });
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    if (!parsed.ok) return;
    const tenant = compileTenant(parsed.rules);
    const policy = tenant.policies.get('p')!;
    const calendar = tenant.calendars.get('office')!;
    // Created Monday 27 Apr 2026 10:00 JST on a Monday/Tuesday calendar: day 0 is that Monday;
    // then Tue 28 Apr (1), Mon 4 and Tue 5 May are holidays, Mon 11 (2), Tue 12 May (3).
    const due = calendar.addBusinessDays(Date.parse('2026-04-27T01:00:00.000Z'), 3);
    expect(iso(due)).toBe('2026-05-12T09:00:00.000Z');
    expect(policy.targets.all?.resolution).toEqual({ businessDays: 3 });
    const ticket = ticketEvent({
      id: '1',
      subject: 'Help',
      createdAt: '2026-04-27T10:00:00+09:00',
    });
    const sla = computeSla(
      policy,
      calendar,
      ticket.ticket,
      Date.parse('2026-05-12T17:59:00+09:00'),
    );
    expect(sla.resolution).toMatchObject({
      due: '2026-05-12T09:00:00.000Z',
      targetBusinessDays: 3,
      targetMinutes: 8 * 60 + 9 * 60 + 9 * 60 + 9 * 60 - 60 - 60, // 27 Apr from 10:00, lunch on Mondays
      breached: false,
    });
  });
});
