import { formatInstant } from '../../shared/base/index.ts';
import { localTimeText } from '../../shared/i18n/index.ts';
import { catalog } from '../../shared/rules/index.ts';
import { VirtualClock } from '../clock.ts';
import { type Mail, type ObligationView, PEOPLE, type Person, SystemClient } from '../system/client.ts';
import { type LocalSystem, startLocalSystem } from '../system/index.ts';

/**
 * `npm run demo`: a scripted story of every rule of the catalog, played through the HTTP API of
 * the whole app (startLocalSystem) on one virtual clock, from 31 January to 2 July 2026. The
 * stories and their dates are those of test/scenarios: each chapter's acts (who records what,
 * when) go on one timeline sorted by time; between two acts the clock moves from one timer to
 * the next, so every notice is printed at the instant it was sent.
 */

/** What a person (or the nightly schedule) does at an instant. */
export type Act =
  | { readonly kind: 'open'; readonly who: Person; readonly request: Readonly<Record<string, unknown>> }
  /** Records an act on the obligation of a case (and of an organisation or rule, when the case has several). */
  | { readonly kind: 'record'; readonly who: Person; readonly act: string; readonly on: ObligationKey }
  /** The nightly provision, invoked by hand: the quarterly reports of every police unit. */
  | { readonly kind: 'provision' }
  | { readonly kind: 'plan'; readonly who: Person; readonly plan: Readonly<Record<string, unknown>> }
  /** A work list of what an issuer's addressees let pass. */
  | { readonly kind: 'overdue-list'; readonly who: Person; readonly issuer: string };

export interface ObligationKey {
  readonly caseRef: string;
  readonly org?: string;
  readonly rule?: string;
}

export interface Step {
  /** When, in Kazakhstan time: `2026-03-19T15:30`. */
  readonly at: string;
  readonly act: Act;
}

export interface Chapter {
  /** The rules of the catalog the chapter shows. */
  readonly rules: readonly string[];
  readonly title: { readonly en: string; readonly ru: string };
  readonly steps: readonly Step[];
}

const at = (instant: string, act: Act): Step => ({ at: instant, act });

/** The story. The clock starts at the first act and stops at `STORY_END`. */
export const CHAPTERS: readonly Chapter[] = [
  {
    rules: ['submission-reply', 'submission-measure'],
    title: {
      en: 'A submission: one month to reply, a measure by its own date, CoAO art. 479 when the reply is missed',
      ru: 'Представление: месяц на ответ, мера к своей дате, ст. 479 КоАП при просрочке ответа',
    },
    steps: [
      at('2026-01-31T11:00', {
        kind: 'open',
        who: 'secretary',
        request: {
          rule: 'submission-reply',
          caseRef: 'КДН-2026/07',
          org: 'zko-uralsk-school-12',
          issuedBy: 'zko-uralsk-kdn',
          start: '2026-01-31T10:00:00+05:00',
          measures: [{ item: '1', dueDate: '2026-02-20' }],
        },
      }),
      at('2026-02-19T12:00', { kind: 'record', who: 'secretary', act: 'reported', on: { caseRef: 'КДН-2026/07', rule: 'submission-measure' } }),
      at('2026-03-03T09:30', { kind: 'overdue-list', who: 'secretary', issuer: 'zko-uralsk-kdn' }),
      at('2026-03-12T10:00', { kind: 'record', who: 'secretary', act: 'replied', on: { caseRef: 'КДН-2026/07', rule: 'submission-reply' } }),
    ],
  },
  {
    rules: ['protective-order', 'offender-check'],
    title: {
      en: 'A protective order for 30 × 24 hours; the offender checked every 7 days',
      ru: 'Защитное предписание на 30 суток; проверка правонарушителя каждые 7 дней',
    },
    steps: [
      at('2026-03-02T10:30', {
        kind: 'open',
        who: 'inspector',
        request: { rule: 'protective-order', caseRef: 'ЗП-2026/118', org: 'zko-uralsk-police-dv', assignee: 'aigerim.inspector', start: '2026-03-02T10:00:00+05:00' },
      }),
      at('2026-03-05T11:00', { kind: 'record', who: 'inspector', act: 'checked', on: { caseRef: 'ЗП-2026/118', rule: 'offender-check' } }),
      at('2026-03-13T10:00', { kind: 'record', who: 'inspector', act: 'checked', on: { caseRef: 'ЗП-2026/118', rule: 'offender-check' } }),
      at('2026-03-19T10:00', { kind: 'record', who: 'inspector', act: 'checked', on: { caseRef: 'ЗП-2026/118', rule: 'offender-check' } }),
      at('2026-03-26T10:00', { kind: 'record', who: 'inspector', act: 'checked', on: { caseRef: 'ЗП-2026/118', rule: 'offender-check' } }),
      at('2026-04-01T11:00', { kind: 'record', who: 'inspector', act: 'deregistered', on: { caseRef: 'ЗП-2026/118', rule: 'offender-check' } }),
    ],
  },
  {
    rules: ['sss-decision'],
    title: {
      en: 'Three working days for the akimat department, across Nauryz: due Friday 27 March, 18:30',
      ru: 'Три рабочих дня отделу акимата, через Наурыз: срок — пятница 27 марта, 18:30',
    },
    steps: [
      at('2026-03-19T15:30', { kind: 'open', who: 'sss', request: { rule: 'sss-decision', caseRef: 'SSS-2026/041', org: 'zko-uralsk-akimat-sss', start: '2026-03-19T15:20:00+05:00' } }),
      at('2026-03-19T15:30', { kind: 'open', who: 'burlinSss', request: { rule: 'sss-decision', caseRef: 'SSS-2026/042', org: 'zko-burlin-akimat-sss', start: '2026-03-19T15:20:00+05:00' } }),
      at('2026-03-26T11:00', { kind: 'record', who: 'burlinSss', act: 'decided', on: { caseRef: 'SSS-2026/042' } }),
      at('2026-04-03T10:00', { kind: 'record', who: 'sss', act: 'decided', on: { caseRef: 'SSS-2026/041' } }),
    ],
  },
  {
    rules: ['unit-quarterly-report'],
    title: {
      en: 'Quarterly reports of the police units, opened by the nightly provision, due by the 5th and the 10th',
      ru: 'Ежеквартальные служебные записки подразделений: открывает ночное задание, срок — 5-е и 10-е число',
    },
    steps: [
      at('2026-03-25T12:00', { kind: 'provision' }),
      at('2026-03-27T00:05', { kind: 'provision' }),
      at('2026-04-03T10:00', { kind: 'record', who: 'unitHead', act: 'reported', on: { caseRef: 'quarterly-report', org: 'zko-uralsk-police-dv' } }),
      // Each unit records its own report sent (the catalog gives `reported` to the acting body alone).
      at('2026-04-09T11:00', { kind: 'record', who: 'burlinUnitHead', act: 'reported', on: { caseRef: 'quarterly-report', org: 'zko-burlin-police-dv' } }),
      at('2026-04-10T15:00', { kind: 'record', who: 'regionalHead', act: 'reported', on: { caseRef: 'quarterly-report', org: 'zko-police' } }),
    ],
  },
  {
    rules: ['action-plan-item'],
    title: {
      en: 'An interagency action plan: a monthly item for the school, a quarterly one for the school and the hospital',
      ru: 'Межведомственный план мероприятий: ежемесячный пункт школе, ежеквартальный — школе и больнице',
    },
    steps: [
      at('2026-03-25T12:30', {
        kind: 'plan',
        who: 'secretary',
        plan: {
          plan: 'ЗКО-ПЛАН-2026',
          issuedBy: 'zko-uralsk-kdn',
          from: '2026-04-01',
          until: '2026-12-31',
          items: [
            { item: '5', title: 'Отбасыларды анықтау', deadline: 'monthly', responsible: ['zko-uralsk-school-12'] },
            { item: '7', title: 'Көмек көрсету', deadline: 'quarterly', responsible: ['zko-burlin-hospital', 'zko-uralsk-school-12'] },
          ],
        },
      }),
      at('2026-05-28T10:00', { kind: 'record', who: 'secretary', act: 'reported', on: { caseRef: 'ЗКО-ПЛАН-2026/5', org: 'zko-uralsk-school-12' } }),
      at('2026-06-29T10:00', { kind: 'record', who: 'secretary', act: 'reported', on: { caseRef: 'ЗКО-ПЛАН-2026/7', org: 'zko-burlin-hospital' } }),
    ],
  },
  {
    rules: ['official-warning'],
    title: {
      en: 'An official warning: checked twice a month, expires after 30 days',
      ru: 'Официальное предостережение: проверка дважды в месяц, истекает через 30 дней',
    },
    steps: [
      at('2026-04-01T12:30', { kind: 'open', who: 'inspector', request: { rule: 'official-warning', caseRef: 'ОП-2026/3', org: 'zko-uralsk-police-dv', start: '2026-04-01T12:00:00+05:00' } }),
    ],
  },
  {
    rules: ['special-requirements'],
    title: {
      en: "Special requirements on the offender's behaviour, set by the court for 3 months",
      ru: 'Особые требования к поведению правонарушителя, установленные судом на 3 месяца',
    },
    steps: [
      at('2026-04-01T12:30', { kind: 'open', who: 'inspector', request: { rule: 'special-requirements', caseRef: 'СУД-2026/88', org: 'zko-uralsk-police-dv', start: '2026-04-01', count: 3 } }),
    ],
  },
  {
    rules: ['kdn-placement-reply'],
    title: {
      en: "A commission's placement decision sent to four bodies: two weeks each, each on its own clock",
      ru: 'Постановление комиссии об устройстве четырём органам: по две недели, у каждого свой срок',
    },
    steps: [
      at('2026-04-06T10:30', {
        kind: 'open',
        who: 'secretary',
        request: {
          rule: 'kdn-placement-reply',
          caseRef: 'КДН-2026/19',
          addressees: ['zko-uralsk-school-12', 'zko-burlin-hospital', 'zko-uralsk-akimat-sss', 'zko-uralsk-police-dv'],
          issuedBy: 'zko-uralsk-kdn',
          start: '2026-04-06T10:00:00+05:00',
        },
      }),
      at('2026-04-10T12:00', { kind: 'record', who: 'secretary', act: 'replied', on: { caseRef: 'КДН-2026/19', org: 'zko-uralsk-school-12' } }),
      at('2026-04-22T11:00', { kind: 'record', who: 'secretary', act: 'replied', on: { caseRef: 'КДН-2026/19', org: 'zko-uralsk-police-dv' } }),
      at('2026-04-28T11:00', { kind: 'record', who: 'secretary', act: 'replied', on: { caseRef: 'КДН-2026/19', org: 'zko-uralsk-akimat-sss' } }),
      at('2026-04-29T16:00', { kind: 'record', who: 'secretary', act: 'replied', on: { caseRef: 'КДН-2026/19', org: 'zko-burlin-hospital' } }),
    ],
  },
  {
    rules: ['shelter-absence'],
    title: {
      en: 'Crisis-centre residents away without notice: the head is told after 3 × 24 hours',
      ru: 'Проживающие кризисного центра отсутствуют без уведомления: через трое суток сообщается руководителю',
    },
    steps: [
      // The crisis centre opens its own clocks and records a return.
      at('2026-05-04T20:10', { kind: 'open', who: 'shelterHead', request: { rule: 'shelter-absence', caseRef: 'КЦ-2026/12', org: 'zko-uralsk-crisis-centre', start: '2026-05-04T20:00:00+05:00' } }),
      at('2026-05-04T21:10', { kind: 'open', who: 'shelterHead', request: { rule: 'shelter-absence', caseRef: 'КЦ-2026/13', org: 'zko-uralsk-crisis-centre', start: '2026-05-04T21:00:00+05:00' } }),
      at('2026-05-06T08:00', { kind: 'record', who: 'shelterHead', act: 'resident-returned', on: { caseRef: 'КЦ-2026/13' } }),
    ],
  },
];

export const STORY_START = '2026-01-31T11:00:00+05:00';
export const STORY_END = '2026-07-02T09:00:00+05:00';

/** Every step of every chapter on one timeline, in time order (a chapter's own order kept at one instant). */
export function timeline(chapters: readonly Chapter[] = CHAPTERS): { readonly instant: number; readonly chapter: Chapter; readonly act: Act }[] {
  return chapters
    .flatMap((chapter) => chapter.steps.map((step) => ({ instant: kzInstant(step.at), chapter, act: step.act })))
    .sort((a, b) => a.instant - b.instant);
}

function kzInstant(text: string): number {
  const instant = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}:00+05:00`);
  if (!Number.isFinite(instant)) throw new RangeError(`not an instant: ${text}`);
  return instant;
}

/**
 * A virtual clock that knows when its wake-ups are due, so the story can stop at each one and
 * read the mail it sent at that instant.
 */
class StoryClock extends VirtualClock {
  #wakes: number[] = [];

  override schedule(instant: number, wake: () => Promise<void>): () => void {
    this.#wakes.push(instant);
    return super.schedule(instant, wake);
  }

  /** The earliest wake-up after now and by `until` (a cancelled one too: it just sends nothing). */
  nextWake(until: number): number | undefined {
    const now = this.now();
    this.#wakes = this.#wakes.filter((instant) => instant > now);
    let next: number | undefined;
    for (const instant of this.#wakes) if (instant <= until && (next === undefined || instant < next)) next = instant;
    return next;
  }
}

export interface DemoOptions {
  /** Each line as it is printed (the result holds them all too). */
  readonly onLine?: (line: string) => void;
  /** What the system says while it starts and runs (its log); dropped unless given. */
  readonly log?: (line: string) => void;
  /** Stops the story between two steps (Ctrl-C); the system is stopped all the same. */
  readonly signal?: AbortSignal;
  readonly chapters?: readonly Chapter[];
  readonly until?: string;
}

export interface DemoSummary {
  readonly mails: number;
  readonly mailboxes: number;
  readonly obligations: number;
  readonly statuses: Readonly<Record<string, number>>;
}

export class DemoAbortedError extends Error {
  override readonly name = 'DemoAbortedError';
}

/**
 * Starts the app on a virtual clock at the story's first act, plays the story, prints the acts
 * and the notices in time order, a summary last, and stops the app. Returns the printed lines.
 */
export async function playDemo(options: DemoOptions = {}): Promise<string[]> {
  const chapters = options.chapters ?? CHAPTERS;
  const steps = timeline(chapters);
  const first = steps[0]?.instant ?? kzInstant(STORY_START);
  const end = Math.max(kzInstant(options.until ?? STORY_END), steps.at(-1)?.instant ?? first);
  const lines: string[] = [];
  const print = (line: string): void => {
    lines.push(line);
    options.onLine?.(line);
  };

  const clock = new StoryClock(first);
  // The morning mail runs, as on AWS: reminders and escalations go out at 09:30 in one mail a person.
  const system = await startLocalSystem<StoryClock>({ clock, schedules: ['digest'], provision: false, log: options.log ?? (() => {}) });
  try {
    const client = new SystemClient(system as LocalSystem<VirtualClock>, clock);
    const player = new Player(client, clock, chapters, print, options.log ?? (() => {}));
    for (const step of steps) {
      if (options.signal?.aborted === true) throw new DemoAbortedError('the demo was stopped');
      await player.runUntil(step.instant, options.signal);
      await player.play(step.chapter, step.act);
    }
    await player.runUntil(end, options.signal);
    const summary = await player.summary();
    print('');
    print(summaryLine(summary, first, end));
  } finally {
    await system.stop();
  }
  return lines;
}

export function summaryLine(summary: DemoSummary, from: number, to: number): string {
  const statuses = Object.entries(summary.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  return (
    `${dateText(from)} → ${dateText(to)}: ${summary.mails} mails sent to ${summary.mailboxes} mailboxes, ` +
    `${summary.obligations} obligations opened, now ${statuses}`
  );
}

class Player {
  readonly #opened = new Map<string, ObligationView>();
  readonly #mailboxes = new Set<string>();
  #mails = 0;
  #current: Chapter | undefined;
  readonly #seen = new Set<Chapter>();
  readonly #chapterOfRule = new Map<string, Chapter>();
  readonly #order: readonly Chapter[];
  /** Russian rule names, longest first: a mail's subject names its rule. */
  readonly #ruleNames: { readonly ru: string; readonly id: string }[];

  constructor(
    readonly client: SystemClient,
    readonly clock: StoryClock,
    chapters: readonly Chapter[],
    readonly print: (line: string) => void,
    readonly log: (line: string) => void,
  ) {
    this.#order = chapters;
    for (const chapter of chapters) for (const rule of chapter.rules) this.#chapterOfRule.set(rule, chapter);
    this.#ruleNames = catalog.map((rule) => ({ ru: rule.names.ru, id: rule.id })).sort((a, b) => b.ru.length - a.ru.length);
  }

  /** Moves the clock to `until`, stopping at each wake-up on the way to print what it sent. */
  async runUntil(until: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted === true) throw new DemoAbortedError('the demo was stopped');
      // What the last act started (an execution's first steps) registers its wake-up first.
      await this.clock.settle();
      const next = this.clock.nextWake(until);
      if (next === undefined) break;
      await this.client.at(new Date(next).toISOString());
      await this.mail();
    }
    await this.client.at(new Date(until).toISOString());
    await this.mail();
  }

  async play(chapter: Chapter, act: Act): Promise<void> {
    const say = (line: string): void => this.#line(chapter, `${timeText(this.clock.now())}  ✓ ${line}`);
    switch (act.kind) {
      case 'open': {
        const opened = await this.client.open(act.who, { ...act.request });
        for (const obligation of opened) this.#opened.set(obligation.id, obligation);
        const [main] = opened;
        const also = opened.length > 1 && new Set(opened.map((o) => o.rule)).size > 1 ? ` (+ ${opened.slice(1).map((o) => `${o.rule} due ${dueText(o)}`).join(', ')})` : '';
        const orgs = new Set(opened.map((o) => o.org));
        const where = orgs.size > 1 ? `${orgs.size} bodies` : (main?.org ?? '');
        say(`${PEOPLE[act.who].user} opens ${main?.rule ?? ''} ${main?.caseRef ?? ''} for ${where} · due ${main === undefined ? '' : dueText(main)}${also}`);
        break;
      }
      case 'record': {
        const target = this.#find(act.on);
        const after = await this.client.record(act.who, target.id, { act: act.act });
        this.#opened.set(after.id, after);
        const next = after.status === 'open' ? `, next due ${dueText(after)}` : '';
        const org = this.#ambiguous(act.on) ? ` (${target.org})` : '';
        say(`${PEOPLE[act.who].user} records ${act.act} on ${target.caseRef}${org} · ${target.rule} → ${after.status}${next}`);
        break;
      }
      case 'provision': {
        const instant = new Date(this.clock.now()).toISOString();
        // The function logs its summary on stdout, as in Lambda; here it goes to the system's log.
        const consoleLog = console.log;
        console.log = (...parts: unknown[]) => this.log(parts.map(String).join(' '));
        let result: { opened: string[]; existing: number };
        try {
          result = (await this.client.system.invoke('provision', { scheduledAt: instant })) as typeof result;
        } finally {
          console.log = consoleLog;
        }
        for (const id of result.opened) this.#opened.set(id, (await this.client.obligation(id)).obligation);
        const opened = result.opened.map((id) => this.#opened.get(id)).filter((o): o is ObligationView => o !== undefined);
        const list = opened.map((o) => `${o.org} due ${dueText(o)}`).join(', ');
        say(`nightly provision opens ${opened.length} quarterly reports${list === '' ? '' : `: ${list}`}${result.existing > 0 ? ` (${result.existing} already open)` : ''}`);
        break;
      }
      case 'plan': {
        const answer = await this.client.api<{ opened: number; obligations: string[] }>(act.who, 'POST', '/action-plans', act.plan);
        if (answer.status !== 201) throw new Error(`POST /action-plans → ${answer.status}: ${JSON.stringify(answer.body)}`);
        const opened: ObligationView[] = [];
        for (const id of answer.body.obligations) {
          const { obligation } = await this.client.obligation(id);
          this.#opened.set(id, obligation);
          opened.push(obligation);
        }
        say(`${PEOPLE[act.who].user} loads the plan ${String(act.plan['plan'])}: ${opened.map((o) => `${o.caseRef} ${o.org} due ${dueText(o)}`).join(', ')}`);
        break;
      }
      case 'overdue-list': {
        const answer = await this.client.api<{ obligations: Omit<ObligationView, 'plan' | 'timer'>[] }>(act.who, 'GET', `/obligations?issuer=${encodeURIComponent(act.issuer)}&status=overdue`);
        if (answer.status !== 200) throw new Error(`GET /obligations?issuer=${act.issuer}&status=overdue → ${answer.status}`);
        const listed = answer.body.obligations.map((o) => `${o.caseRef} ${o.org}${o.overdueGrounds === undefined ? '' : ` — ${o.overdueGrounds.names.ru}`}`);
        say(`${PEOPLE[act.who].user} lists the overdue of ${act.issuer}: ${listed.length === 0 ? 'none' : listed.join('; ')}`);
        break;
      }
    }
    await this.mail();
  }

  async summary(): Promise<DemoSummary> {
    const statuses: Record<string, number> = {};
    for (const id of this.#opened.keys()) {
      const { obligation } = await this.client.obligation(id);
      statuses[obligation.status] = (statuses[obligation.status] ?? 0) + 1;
    }
    return { mails: this.#mails, mailboxes: this.#mailboxes.size, obligations: this.#opened.size, statuses };
  }

  /**
   * Prints the mail sent since the last look, at the clock's instant: grouped by chapter (the
   * current one first), the same notice to the same mailbox once with its count.
   */
  async mail(): Promise<void> {
    const fresh = (await this.client.newMail()).map((mail, index) => ({ mail, index, chapter: this.#chapterOf(noticeSubjects(mail)[0] ?? '') }));
    const rank = (chapter: Chapter | undefined): number => (chapter === this.#current ? -1 : chapter === undefined ? this.#order.length : this.#order.indexOf(chapter));
    fresh.sort((a, b) => rank(a.chapter) - rank(b.chapter) || a.index - b.index);
    const lines: { chapter: Chapter | undefined; text: string; count: number }[] = [];
    for (const { mail } of fresh) {
      this.#mails += 1;
      for (const to of mail.to) this.#mailboxes.add(to);
      // A morning mail prints as the notices it carries, each on its line; a digest alone is counted, not printed.
      for (const subject of noticeSubjects(mail)) {
        const text = `${timeText(this.clock.now())}  → ${mail.to.join(', ').padEnd(40)}  ${shortSubject(subject)}`;
        const last = lines.at(-1);
        if (last !== undefined && last.text === text) last.count += 1;
        else lines.push({ chapter: this.#chapterOf(subject), text, count: 1 });
      }
    }
    for (const line of lines) this.#line(line.chapter, line.count > 1 ? `${line.text}  ×${line.count}` : line.text);
  }

  #line(chapter: Chapter | undefined, line: string): void {
    if (chapter !== undefined && chapter !== this.#current) {
      if (this.#seen.has(chapter)) {
        this.print(`   ┄ ${chapter.rules.join(' + ')}`);
      } else {
        this.#seen.add(chapter);
        this.print('');
        this.print(chapterHeading(chapter));
      }
      this.#current = chapter;
    }
    this.print(line);
  }

  #chapterOf(subject: string): Chapter | undefined {
    const rule = this.#ruleNames.find((name) => subject.includes(name.ru));
    return rule === undefined ? undefined : this.#chapterOfRule.get(rule.id);
  }

  #matches(key: ObligationKey): ObligationView[] {
    return [...this.#opened.values()].filter(
      (o) => o.caseRef === key.caseRef && (key.org === undefined || o.org === key.org) && (key.rule === undefined || o.rule === key.rule),
    );
  }

  #ambiguous(key: ObligationKey): boolean {
    return new Set([...this.#opened.values()].filter((o) => o.caseRef === key.caseRef).map((o) => o.org)).size > 1;
  }

  #find(key: ObligationKey): ObligationView {
    const found = this.#matches(key);
    if (found.length !== 1) throw new Error(`the story names ${found.length} obligations for ${JSON.stringify(key)}`);
    return found[0] as ObligationView;
  }
}

/** The part mark of a morning mail (shared/i18n/morning.ts): `—— 1 / 3 ——`, the notice's subject on the next line. */
const PART = /^—— \d+ \/ \d+ ——$/;

/**
 * The subjects of the notices a mail carries: each part of a morning mail, or the mail itself when
 * it is one notice sent at once. A digest alone carries none.
 */
export function noticeSubjects(mail: Pick<Mail, 'subject' | 'text'>): string[] {
  const lines = mail.text.split('\n');
  const parts = lines.flatMap((line, index) => (PART.test(line) ? [lines[index + 1] ?? ''] : []));
  if (parts.length > 0) return parts;
  return DIGEST.test(mail.subject) ? [] : [mail.subject];
}
const DIGEST = /^Merzim: /;

/** `━━ sss-decision · English title / Русское название`: the line a chapter begins with. */
export function chapterHeading(chapter: Chapter): string {
  return `━━ ${chapter.rules.join(' + ')} · ${chapter.title.en} / ${chapter.title.ru}`;
}

/** `27.03.2026 09:00`, Kazakhstan time. */
export function timeText(instant: number): string {
  const text = formatInstant(instant);
  return `${text.slice(8, 10)}.${text.slice(5, 7)}.${text.slice(0, 4)} ${text.slice(11, 16)}`;
}

function dateText(instant: number): string {
  return timeText(instant).slice(0, 10);
}

function dueText(obligation: ObligationView): string {
  return localTimeText(Date.parse(obligation.dueAt), true);
}

/**
 * The subject with the rule's Russian name cut at a word (the subject names it in Kazakh, then
 * Russian): `Еске салу / Напоминание: Решение о предоставлении… · SSS-2026/041 · 27.03.2026, 18:30`.
 */
export function shortSubject(subject: string, width = 32): string {
  const colon = subject.indexOf(': ');
  if (colon < 0) return subject;
  const [names = '', ...rest] = subject.slice(colon + 2).split(' · ');
  const name = names.split(' / ').at(-1) ?? names;
  return [`${subject.slice(0, colon)}: ${shorten(name, width)}`, ...rest].join(' · ');
}

function shorten(text: string, width: number): string {
  if (text.length <= width) return text;
  const cut = text.lastIndexOf(' ', width);
  return `${text.slice(0, cut > 0 ? cut : width)}…`;
}
