import type { Act, Party } from '../base/index.ts';
import type { Period } from '../periods/index.ts';
import type { Rule } from './rule.ts';

/** The catalog as a Markdown table a lawyer can check against LEGAL.md §3. */
export function catalogTable(rules: readonly Rule[]): string {
  const rows = rules.map((rule) => {
    const { counting } = rule;
    const source = rule.sources[0];
    const cells = [
      `\`${rule.id}\``,
      `${rule.names.en} (${rule.names.ru})`,
      rule.startEvent,
      periodCell(rule),
      counting.period.unit === 'hours24' ? 'the same moment' : counting.endOfDay === 'midnight' ? '24:00' : 'close of business',
      counting.movesOffNonWorkingDays ? 'yes' : 'no',
      rule.actor,
      rule.validTo === null ? rule.validFrom : `${rule.validFrom} to ${rule.validTo}`,
      source === undefined ? '' : `${[source.act, source.provision].filter(Boolean).join(', ')}${source.seed === undefined ? '' : ` (seed ${source.seed.file} L${source.seed.lines})`}${source.confidence === 'official' ? '' : ' ⚠'}`,
    ];
    return `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  });
  return [
    '| rule | what | clock starts | period | last day ends | moved off a day off | who acts | in force from | source |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function periodCell(rule: Rule): string {
  const bounds = rule.countSetPerCase;
  const base =
    bounds === undefined
      ? periodText(rule.counting.period)
      : bounds.required
        ? `${bounds.min}–${bounds.max} ${periodText(rule.counting.period).replace(/^\d+ /, '')}, set by ${bounds.setBy.en}`
        : `${periodText(rule.counting.period)} (${bounds.min}–${bounds.max} by ${bounds.setBy.en})`;
  const variants = Object.entries(rule.variants ?? {}).filter(([, variant]) => variant.counting !== undefined);
  return variants.length === 0
    ? base
    : `${base}; ${variants.map(([name, variant]) => `${name}: ${periodText(variant.counting?.period ?? rule.counting.period)}`).join('; ')}`;
}

function periodText(period: Period): string {
  switch (period.unit) {
    case 'working-days':
      return `${period.count} working days`;
    case 'days':
      return `${period.count} calendar days`;
    case 'weeks':
      return `${period.count} weeks`;
    case 'months':
      return `${period.count} month${period.count === 1 ? '' : 's'}`;
    case 'hours24':
      return `${period.count} × 24 h`;
    case 'period-end':
      return `to the end of the ${period.of}`;
    case 'month-ends':
      return "to the end of the window's last month (the plan's months)";
    case 'set-date':
      return 'to the date the document sets';
    case 'day-after-period':
      return `the ${period.day}${period.day === 1 || period.day === 21 ? 'st' : period.day === 2 || period.day === 22 ? 'nd' : period.day === 3 || period.day === 23 ? 'rd' : 'th'} of the month after the ${period.of}`;
  }
}

/**
 * Who may do what, rule by rule, from each entry's `authority`: a table a lawyer can check
 * against the law and the ⚠ judgements in the catalog's notes.
 */
export function authorityTable(rules: readonly Rule[]): string {
  const rows = rules.map((rule) => {
    const { opens, acts, transfers } = rule.authority;
    const who = (act: Act): string => {
      const parties = acts[act];
      return parties === undefined ? '—' : parties.map(partyName).join(', ');
    };
    const closing = [...new Set([...rule.closedBy, ...(rule.recurrence?.until ?? [])])].filter((act) => act !== 'cancelled');
    const moreTime =
      acts['extended'] === undefined
        ? 'never: the term is fixed'
        : `asked by ${who('extension-requested')}; granted or refused by ${who('extended')}`;
    const handOver = transfers === undefined || acts.transferred === undefined ? '—' : `${transfers === 'issuer' ? 'to another issuer' : 'to another unit of its kind'}: ${who('transferred')}`;
    const shown = new Set<Act>([...closing, 'extension-requested', 'extended', 'extension-refused', 'start-corrected', 'cancelled', 'transferred']);
    const others = (Object.keys(acts) as Act[]).filter((act) => !shown.has(act)).map((act) => `${act}: ${who(act)}`);
    const cells = [
      `\`${rule.id}\``,
      opens.by.map(partyName).join(', ') + (opens.startAhead ? ' (may start ahead)' : ''),
      opens.bodies.join(', ') + (opens.issuers === undefined ? '' : `; issued by ${opens.issuers.join(', ')}`),
      closing.length === 0 ? 'runs its term out' : closing.map((act) => `${act}: ${who(act)}`).join('; '),
      moreTime,
      who('start-corrected'),
      who('cancelled'),
      handOver,
      others.join('; ') || '—',
    ];
    return `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  });
  return [
    '| rule | opened by | owed by | closed by | more time | start corrected by | cancelled by | handed over | other acts |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function partyName(party: Party): string {
  return { 'acting-body': 'acting body', issuer: 'issuer', head: 'head', admin: 'admin', system: 'Merzim' }[party];
}
