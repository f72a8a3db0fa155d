import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../../shared/base/index.ts';
import { calendarFile } from '../../functions/api/feed.ts';
import { listedObligation } from '../../functions/adapters/store/index.ts';
import { obligation as full } from '../functions/support.ts';

const obligation = (...args: Parameters<typeof full>) => listedObligation(full(...args));

/**
 * The personal calendar feed (GET /me/calendar.ics) as a calendar application reads it: parsed
 * by ical.js, and held to RFC 5545's grammar where ical.js is lenient (durations, line folding).
 */

const NOW = parseInstant('2026-04-13T09:30:00+05:00');
const entries = [
  { obligation: obligation({ id: 'po1', rule: 'protective-order', org: 'zko-uralsk-police-dv', caseRef: 'PO-2026/07', startText: '2026-03-16T12:00:00+05:00' }), awaited: false },
  { obligation: obligation({ id: 'sss1', rule: 'sss-decision', org: 'zko-uralsk-akimat-sss', caseRef: 'SSS-2026/101', startText: '2026-04-01T09:00:00+05:00' }), awaited: false },
  {
    obligation: obligation({
      id: 'ap1',
      rule: 'action-plan-item',
      variant: 'by-date',
      org: 'zko-uralsk-school-12',
      issuedBy: 'zko-uralsk-kdn',
      caseRef: 'ЗКО-ПЛАН-2026/4',
      // Long, with commas and semicolons: folded, and escaped as TEXT.
      label: 'Кәмелетке толмағандар арасында құқық бұзушылықтың алдын алу бойынша профилактикалық іс-шаралар; ата-аналармен кездесулер, сынып сағаттары',
      dueDate: '2026-06-30',
      startText: '2026-04-01T09:00:00+05:00',
    }),
    awaited: true,
  },
];

/** RFC 5545 §3.3.6: dur-value = ["+" / "-"] "P" (dur-date / dur-time / dur-week). */
const DURATION = /^[+-]?P(?:\d+W|\d+D(?:T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S))?|T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S))$/;

describe('the calendar feed', () => {
  for (const lang of ['kk', 'ru', 'en'] as const) {
    it(`in ${lang}: parses as iCalendar, one event per obligation at its due instant, each with a valid alarm a day before`, async () => {
      const text = await calendarFile(entries, lang, NOW);
      const calendar = new ICAL.Component(ICAL.parse(text));
      expect(calendar.name).toBe('vcalendar');
      expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
      const events = calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
      expect(events.map((event) => event.uid).sort()).toEqual(['ap1-r1-c1@merzim', 'po1-r1-c1@merzim', 'sss1-r1-c1@merzim']);
      for (const event of events) {
        const source = entries.find((entry) => `${entry.obligation.id}-r1-c1@merzim` === event.uid)?.obligation;
        expect(event.startDate.toUnixTime() * 1000).toBe(source?.dueAt);
        expect(event.summary).toContain(source?.caseRef);
        const alarm = event.component.getFirstSubcomponent('valarm');
        expect(alarm?.getFirstPropertyValue('action')).toBe('DISPLAY');
        expect(String(alarm?.getFirstPropertyValue('trigger'))).toMatch(/^-P(T24H|1D)$/);
      }
      const plan = events.find((event) => event.uid === 'ap1-r1-c1@merzim');
      expect(plan?.summary).toContain('ата-аналармен кездесулер, сынып сағаттары');
      expect(plan?.description).toContain(formatInstant(entries[2]?.obligation.dueAt ?? 0));

      // What ical.js forgives, RFC 5545 does not: every duration by its grammar, CRLF line ends,
      // and no line longer than 75 octets (§3.1).
      const lines = text.split('\r\n');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(lines.filter((line) => line.includes('\n'))).toEqual([]);
      expect(lines.filter((line) => Buffer.byteLength(line, 'utf8') > 75)).toEqual([]);
      const durations = lines.filter((line) => /^(TRIGGER|DURATION)[;:]/.test(line)).map((line) => line.slice(line.indexOf(':') + 1));
      expect(durations.length).toBeGreaterThanOrEqual(6);
      expect(durations.filter((value) => !DURATION.test(value))).toEqual([]);
    });
  }
});
