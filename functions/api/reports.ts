import * as z from 'zod';
import { type Organisation, OrganisationUnitSchema, type Texts, addDays, instantAt } from '../../shared/base/index.ts';
import { type Figure, FIGURES, type QuarterlyReport, QuarterNameSchema, type UnansweredSubmission, previousQuarter, quarterAt } from '../../shared/reports/index.ts';
import { NotFoundError } from '../app/errors.ts';
import { quarterlyReport, unansweredSubmissions } from '../app/reports.ts';
import { type RouteSpec, authorize, json, parseInput } from './http.ts';
import { weekEndedBy } from '../app/snapshot.ts';
import { subtreeOf } from './scope.ts';
import { type CellValue, type Column, FormatSchema, type Table, answer, formatOf } from './exports/table.ts';

/**
 * GET /reports/quarterly and GET /reports/unanswered-submissions: the quarterly service note's
 * figures and a commission's art. 479 list, as JSON, CSV or XLSX. Reach as the work lists: the
 * unit (or issuer) asked for is in the caller's reach (a head's reach is the subtree), and the
 * quarterly report of a unit holds the units under it, all of which a head who reaches it reaches.
 */

export const QuarterlyQuerySchema = z.strictObject({
  org: OrganisationUnitSchema.meta({ description: 'The unit: a police unit, or a regional department whose report sums the units under it' }),
  quarter: z
    .string()
    .pipe(QuarterNameSchema)
    .optional()
    .meta({ description: 'The quarter, like 2026-Q3; the last finished quarter when not given' }),
  format: FormatSchema.optional(),
});

export const UnansweredQuerySchema = z.strictObject({
  issuer: OrganisationUnitSchema.meta({ description: 'The commission whose submissions are listed' }),
  format: FormatSchema.optional(),
});

const FIGURE_HEADS: Record<Figure, Texts> = {
  due: { kk: 'Мерзімі келді', ru: 'Наступил срок', en: 'Due' },
  onTime: { kk: 'Мерзімінде', ru: 'В срок', en: 'On time' },
  late: { kk: 'Кешігіп', ru: 'С опозданием', en: 'Late' },
  missing: { kk: 'Орындалмады', ru: 'Не исполнено', en: 'Missing' },
  missed: { kk: 'Тексерілмеді', ru: 'Не проверено', en: 'Missed' },
  pending: { kk: 'Мерзімі әлі келмеді', ru: 'Срок не наступил', en: 'Not yet due' },
  breaches: { kk: 'Бұзушылықтар', ru: 'Нарушения', en: 'Breaches' },
  served: { kk: 'Табыс етілді', ru: 'Вручено', en: 'Served' },
  expired: { kk: 'Мерзімі бітті', ru: 'Истекло', en: 'Expired' },
  renewed: { kk: 'Қайта шығарылды', ru: 'Вынесено повторно', en: 'Renewed' },
  breached: { kk: 'Бұзылды', ru: 'Нарушено', en: 'Breached' },
  cancelled: { kk: 'Күші жойылды', ru: 'Отменено', en: 'Cancelled' },
};
export const figureHead = (figure: Figure): Texts => FIGURE_HEADS[figure];

const UNIT_COLUMNS: Column[] = [
  { key: 'org', head: { kk: 'Бөлініс коды', ru: 'Код подразделения', en: 'Unit code' }, type: 'text', width: 24 },
  { key: 'nameKk', head: { kk: 'Бөлініс', ru: 'Подразделение (каз.)', en: 'Unit (kk)' }, type: 'text', width: 40 },
  { key: 'nameRu', head: { kk: 'Бөлініс (орыс.)', ru: 'Подразделение', en: 'Unit (ru)' }, type: 'text', width: 40 },
];
const TOTAL: Texts = { kk: 'Барлығы', ru: 'Итого', en: 'Total' };

/** A sheet's name from a rule id: Excel allows 31 characters. */
const sheetName = (rule: string): string => rule.slice(0, 31);

/** Per rule, one sheet: a row per unit, then the total; and a first sheet saying what the report is. */
export function quarterlyTables(report: QuarterlyReport): Table[] {
  const about: Table = {
    sheet: 'report',
    title: { kk: 'Тоқсандық есеп', ru: 'Квартальный отчёт', en: 'Quarterly report' },
    columns: [
      { key: 'org', head: { kk: 'Бөлініс', ru: 'Подразделение', en: 'Unit' }, type: 'text', width: 24 },
      { key: 'nameKk', head: { kk: 'Атауы', ru: 'Наименование (каз.)', en: 'Name (kk)' }, type: 'text', width: 40 },
      { key: 'nameRu', head: { kk: 'Атауы (орыс.)', ru: 'Наименование', en: 'Name (ru)' }, type: 'text', width: 40 },
      { key: 'quarter', head: { kk: 'Тоқсан', ru: 'Квартал', en: 'Quarter' }, type: 'text', width: 10 },
      { key: 'from', head: { kk: 'Кезеңнің басы', ru: 'Начало периода', en: 'From' }, type: 'date' },
      { key: 'to', head: { kk: 'Кезеңнің соңы', ru: 'Конец периода', en: 'To' }, type: 'date' },
      { key: 'asOf', head: { kk: 'Жасалған күні', ru: 'Дата составления', en: 'As of' }, type: 'date' },
    ],
    rows: [
      { org: report.org, nameKk: report.names.kk, nameRu: report.names.ru, quarter: report.quarter, from: { date: report.from }, to: { date: report.to }, asOf: { date: report.asOf.slice(0, 10) } },
    ],
  };
  const perRule = report.rules.map((line): Table => {
    const figureColumns = line.figures.map((figure): Column => ({ key: figure, head: line.means[figure] ?? FIGURE_HEADS[figure], type: 'number' }));
    const row = (org: string | undefined, names: Texts, figures: Partial<Record<Figure, number>> | undefined): Record<string, CellValue> => ({
      org,
      nameKk: names.kk,
      nameRu: names.ru,
      ...Object.fromEntries(line.figures.map((figure) => [figure, figures?.[figure] ?? 0])),
    });
    return {
      sheet: sheetName(line.rule),
      title: line.names,
      columns: [...UNIT_COLUMNS, ...figureColumns],
      rows: [...report.units.map((unit) => row(unit.org, unit.names, unit.figures[line.rule])), row(undefined, TOTAL, report.total[line.rule])],
    };
  });
  return [about, ...perRule];
}

/** The CSV of the quarterly report: one row per unit and rule, every figure a column. */
export function quarterlyFlat(report: QuarterlyReport): Table {
  const figures = [...new Set(Object.values(FIGURES).flat())];
  const columns: Column[] = [
    { key: 'quarter', head: { kk: 'Тоқсан', ru: 'Квартал', en: 'Quarter' }, type: 'text' },
    ...UNIT_COLUMNS,
    { key: 'rule', head: { kk: 'Мерзім коды', ru: 'Код срока', en: 'Rule' }, type: 'text' },
    { key: 'ruleRu', head: { kk: 'Мерзім (орыс.)', ru: 'Срок', en: 'Deadline' }, type: 'text' },
    ...figures.map((figure): Column => ({ key: figure, head: FIGURE_HEADS[figure], type: 'number' })),
  ];
  const rows = report.rules.flatMap((line) =>
    [...report.units.map((unit) => ({ org: unit.org, names: unit.names, own: unit.figures[line.rule] })), { org: undefined, names: TOTAL, own: report.total[line.rule] }].map(
      ({ org, names, own }: { org: string | undefined; names: Texts; own: Partial<Record<Figure, number>> | undefined }): Record<string, CellValue> => ({
        quarter: report.quarter,
        org,
        nameKk: names.kk,
        nameRu: names.ru,
        rule: line.rule,
        ruleRu: line.names.ru,
        ...Object.fromEntries(line.figures.map((figure) => [figure, own?.[figure] ?? 0])),
      }),
    ),
  );
  return { sheet: 'report', title: { kk: 'Тоқсандық есеп', ru: 'Квартальный отчёт', en: 'Quarterly report' }, columns, rows };
}

export function unansweredTable(items: readonly UnansweredSubmission[]): Table {
  return {
    sheet: 'art-479',
    title: { kk: 'Жауапсыз қалған ұсыныстар (ҚР ӘҚБтК 479-бабы)', ru: 'Представления без ответа (ст. 479 КоАП РК)', en: 'Submissions without a reply (CoAO art. 479)' },
    columns: [
      { key: 'addresseeKk', head: { kk: 'Адресат', ru: 'Адресат (каз.)', en: 'Addressee (kk)' }, type: 'text', width: 40 },
      { key: 'addresseeRu', head: { kk: 'Адресат (орыс.)', ru: 'Адресат', en: 'Addressee (ru)' }, type: 'text', width: 40 },
      { key: 'org', head: { kk: 'Адресат коды', ru: 'Код адресата', en: 'Addressee code' }, type: 'text', width: 24 },
      { key: 'caseRef', head: { kk: 'Ұсыныс', ru: 'Представление', en: 'Submission' }, type: 'text', width: 18 },
      { key: 'received', head: { kk: 'Алынған күні', ru: 'Дата получения', en: 'Received' }, type: 'date' },
      { key: 'due', head: { kk: 'Жауап беру мерзімі', ru: 'Срок ответа', en: 'Due' }, type: 'date' },
      { key: 'daysOverdue', head: { kk: 'Мерзімінен өткен күндер', ru: 'Дней просрочки', en: 'Days overdue' }, type: 'number' },
      { key: 'groundsKk', head: { kk: 'Негіз', ru: 'Основание (каз.)', en: 'Grounds (kk)' }, type: 'text', width: 50 },
      { key: 'groundsRu', head: { kk: 'Негіз (орыс.)', ru: 'Основание', en: 'Grounds (ru)' }, type: 'text', width: 50 },
    ],
    rows: items.map((item) => ({
      addresseeKk: item.addressee.kk,
      addresseeRu: item.addressee.ru,
      org: item.org,
      caseRef: item.caseRef,
      received: { date: item.received },
      due: { date: item.due },
      daysOverdue: item.daysOverdue,
      groundsKk: item.cite.kk,
      groundsRu: item.cite.ru,
    })),
  };
}

/**
 * The unit and the units under it that the caller reaches, the unit first, the others by code:
 * a member of a unit with units under it who is not its head sees their own only.
 */
async function unitsInReach(scope: Parameters<RouteSpec['run']>[0]['scope'], org: string): Promise<[Organisation, ...Organisation[]]> {
  const organisations = await scope.organisations();
  const root = await scope.organisation(org);
  if (root === undefined) throw new NotFoundError(`no unit ${org} in the directory`);
  const under = subtreeOf(root.org, organisations);
  const below = organisations.filter((unit) => unit.org !== root.org && under.has(unit.org)).sort((a, b) => a.org.localeCompare(b.org));
  const reached = await Promise.all(below.map((unit) => scope.includes(unit.org)));
  return [root, ...below.filter((_, index) => reached[index] === true)];
}

export const quarterlyReportRoute: RouteSpec = {
  async run({ event, app, scope }) {
    const query = parseInput('query', QuarterlyQuerySchema, event.queryStringParameters ?? {});
    // Reach as the unit's work list: a unit in reach; a head reaches the units under theirs too.
    await authorize(scope, { kind: 'obligations:list', by: 'org', key: query.org });
    const units = await unitsInReach(scope, query.org);
    const [root] = units;
    const quarter = query.quarter ?? previousQuarter(quarterAt(app.now()));
    const report = await quarterlyReport(app, root, units, quarter);
    return answer(formatOf(event, query.format), `merzim-${report.org}-${report.quarter}`, () => report, () => quarterlyTables(report), () => quarterlyFlat(report));
  },
};

export const unansweredSubmissionsRoute: RouteSpec = {
  async run({ event, app, scope }) {
    const query = parseInput('query', UnansweredQuerySchema, event.queryStringParameters ?? {});
    await authorize(scope, { kind: 'obligations:list', by: 'issuer', key: query.issuer });
    const directory = new Map((await scope.organisations()).map((unit) => [unit.org, unit]));
    const list = await unansweredSubmissions(app, query.issuer, directory);
    return answer(formatOf(event, query.format), `merzim-479-${query.issuer}-${list.asOf.slice(0, 10)}`, () => list, () => [unansweredTable(list.items)]);
  },
};

// The answers, as the OpenAPI document describes them.

const TextsOut = z.object({ kk: z.string(), ru: z.string(), en: z.string() });
const FiguresOut = z.record(z.string(), z.number().int()).meta({ description: 'By figure (due, onTime, late, missing, missed, pending, breaches, served, expired, renewed, breached, cancelled): only those not zero' });

export const QuarterlyReportSchema = z.object({
  org: z.string(),
  names: TextsOut,
  quarter: z.string(),
  from: z.string(),
  to: z.string(),
  asOf: z.string().meta({ description: 'When the figures were counted: a reply still awaited is missing then, late once it comes' }),
  rules: z.array(
    z.object({
      rule: z.string(),
      names: TextsOut,
      counting: z.enum(['deadline', 'cycles', 'in-force']),
      figures: z.array(z.string()),
      means: z.record(z.string(), TextsOut),
      why: z.array(z.string()).meta({ description: 'What counts as on time, late and missing for the rule, and the law it rests on' }),
    }),
  ),
  units: z.array(z.object({ org: z.string(), kind: z.string(), names: TextsOut, parent: z.string().optional(), figures: z.record(z.string(), FiguresOut) })),
  total: z.record(z.string(), FiguresOut),
});

export const UnansweredResponseSchema = z.object({
  asOf: z.string(),
  issuer: z.string(),
  items: z.array(
    z.object({
      id: z.string(),
      org: z.string(),
      addressee: TextsOut,
      caseRef: z.string(),
      received: z.string(),
      due: z.string(),
      daysOverdue: z.number().int(),
      grounds: TextsOut,
      cite: TextsOut,
    }),
  ),
});

// The heads' trend, read from the weekly snapshots (issue 19)

export const TrendQuerySchema = z.strictObject({
  org: OrganisationUnitSchema.meta({ description: 'The unit; a head’s trend holds the units under it they reach' }),
  weeks: z
    .string()
    .regex(/^\d{1,3}$/, 'a number of weeks, 1 to 520')
    .transform(Number)
    .pipe(z.number().int().min(1).max(520))
    .optional()
    .meta({ description: 'How many weeks back from the last one ended (12 when not given)' }),
  until: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .optional()
    .meta({ description: 'The last week: the one ending on or before this day (the last week ended when not given)' }),
});

const CountsOut = z.record(z.string(), z.object({ open: z.number().int(), overdue: z.number().int() }));
export const TrendResponseSchema = z.object({
  org: z.string(),
  weeks: z.array(z.string()).meta({ description: 'The Sundays the weeks end on, oldest first' }),
  units: z.array(z.object({ org: z.string(), names: TextsOut, weeks: z.record(z.string(), CountsOut).meta({ description: 'By week end, by rule: a week with no snapshot is absent' }) })),
});

export const trendRoute: RouteSpec = {
  async run({ event, app, scope }) {
    const query = parseInput('query', TrendQuerySchema, event.queryStringParameters ?? {});
    await authorize(scope, { kind: 'obligations:list', by: 'org', key: query.org });
    const units = await unitsInReach(scope, query.org);
    const [root] = units;
    const last = weekEndedBy(query.until === undefined ? app.now() : instantAt(addDays(query.until, 1), '00:00')).weekEnd;
    const weeks = Array.from({ length: query.weeks ?? 12 }, (_, index) => addDays(last, -7 * index)).reverse();
    const read = await Promise.all(units.map((unit) => app.store.snapshots.snapshots(unit.org, weeks[0] ?? last, last)));
    return json(200, {
      org: root.org,
      weeks,
      units: units.map((unit, index) => ({ org: unit.org, names: unit.names, weeks: Object.fromEntries((read[index] ?? []).map((snapshot) => [snapshot.weekEnd, snapshot.counts])) })),
    });
  },
};
