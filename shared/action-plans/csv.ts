import { checkActionPlan, headerFieldErrors, sortErrors } from './check.ts';
import { type ActionPlanError, type ActionPlanHeader, type ActionPlanOptions, type ActionPlanResult, CSV_COLUMNS, type CsvColumn } from './schemas.ts';

const REQUIRED_COLUMNS: readonly CsvColumn[] = ['item', 'deadline', 'responsible'];

/**
 * Parses a plan written as CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line
 * breaks; a UTF-8 byte-order mark is dropped). The header line names the columns
 * `item,title,deadline,years,responsible,form` (title, years and form may be left out); `responsible` lists
 * organisation units separated by `;`. The plan-level fields come from `header`.
 */
export function parseActionPlanCsv(text: string, header: ActionPlanHeader, options: ActionPlanOptions = {}): ActionPlanResult {
  const { records, errors } = readCsv(text);
  const [head, ...data] = records;
  if (head === undefined) {
    return { ok: false, errors: [...errors, { row: 1, field: 'header', message: `the file is empty: expected the header line ${CSV_COLUMNS.join(',')}` }] };
  }
  const columns = head.fields.map((name) => name.trim().toLowerCase());
  const headerErrors: ActionPlanError[] = [];
  columns.forEach((name, index) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      headerErrors.push({ row: head.line, field: 'header', message: `unknown column "${head.fields[index] ?? ''}" (expected ${CSV_COLUMNS.join(',')})` });
    } else if (columns.indexOf(name) !== index) {
      headerErrors.push({ row: head.line, field: 'header', message: `the column "${name}" is named twice` });
    }
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!columns.includes(column)) headerErrors.push({ row: head.line, field: 'header', message: `the column "${column}" is missing (expected ${CSV_COLUMNS.join(',')})` });
  }
  if (headerErrors.length > 0) return { ok: false, errors: sortErrors([...errors, ...headerErrors, ...headerFieldErrors(header)]) };

  const items: Record<string, unknown>[] = [];
  const lines: number[] = [];
  for (const record of data) {
    if (record.fields.length !== columns.length) {
      errors.push({
        row: record.line,
        field: 'csv',
        message: `expected ${columns.length} fields (${columns.join(',')}), found ${record.fields.length}: quote a field that holds a comma`,
      });
      continue;
    }
    const cells = new Map(columns.map((name, index) => [name, record.fields[index] ?? '']));
    const item: Record<string, unknown> = {};
    for (const [name, cell] of cells) {
      if (name === 'responsible') {
        item[name] = cell.split(';').map((unit) => unit.trim()).filter((unit) => unit !== '');
      } else if (cell.trim() !== '' || name === 'item' || name === 'deadline') {
        item[name] = cell;
      }
    }
    items.push(item);
    lines.push(record.line);
  }
  if (data.length === 0) errors.push({ row: head.line, field: 'items', message: 'the file has a header but no items' });

  const result = checkActionPlan({ ...header, items }, (index) => lines[index] ?? 0, options);
  // "no items" is said above, or follows from rows the CSV reading refused.
  const checked = result.ok ? [] : result.errors.filter((error) => !(error.row === 0 && error.field === 'items'));
  const all = [...errors, ...checked];
  return all.length === 0 && result.ok ? result : { ok: false, errors: sortErrors(all) };
}

interface CsvRecord {
  /** The line of the file the record starts on. */
  readonly line: number;
  readonly fields: string[];
}

/** RFC 4180 records; blank lines are skipped. */
function readCsv(source: string): { records: CsvRecord[]; errors: ActionPlanError[] } {
  const text = source.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  const errors: ActionPlanError[] = [];
  let line = 1;
  let index = 0;
  while (index < text.length) {
    const start = line;
    const fields: string[] = [];
    let quotedAny = false;
    for (;;) {
      let field = '';
      if (text[index] === '"') {
        quotedAny = true;
        index += 1;
        let closed = false;
        while (index < text.length) {
          const char = text[index] as string;
          if (char === '"') {
            if (text[index + 1] === '"') {
              field += '"';
              index += 2;
              continue;
            }
            index += 1;
            closed = true;
            break;
          }
          if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) line += 1;
          field += char;
          index += 1;
        }
        if (!closed) {
          errors.push({ row: start, field: 'csv', message: 'a quoted field is not closed' });
        } else if (index < text.length && text[index] !== ',' && text[index] !== '\n' && text[index] !== '\r') {
          errors.push({ row: line, field: 'csv', message: 'text after a closing quote: a quote inside a quoted field is written twice ("")' });
          while (index < text.length && text[index] !== ',' && text[index] !== '\n' && text[index] !== '\r') field += text[index++];
        }
      } else {
        while (index < text.length && text[index] !== ',' && text[index] !== '\n' && text[index] !== '\r') field += text[index++];
      }
      fields.push(field);
      if (text[index] === ',') {
        index += 1;
        continue;
      }
      if (text[index] === '\r') index += 1;
      if (text[index] === '\n') index += 1;
      line += 1;
      break;
    }
    const blank = !quotedAny && fields.length === 1 && (fields[0] ?? '').trim() === '';
    if (!blank) records.push({ line: start, fields });
  }
  return { records, errors };
}
