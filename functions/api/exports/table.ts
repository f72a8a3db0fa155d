import * as z from 'zod';
import type { Texts } from '../../../shared/base/index.ts';
import { type ApiEvent, type ApiResponse, json } from '../http.ts';

/**
 * A report as a table, and the three forms it is handed out in: JSON (the API's own), CSV and
 * XLSX for the spreadsheet the region's staff work in. Headers in Kazakh and Russian; dates are
 * dates in the spreadsheet (a day, not a text), the header rows frozen.
 */

export type CellValue = string | number | { readonly date: string } | undefined;

export interface Column {
  readonly key: string;
  readonly head: Texts;
  readonly type: 'text' | 'number' | 'date';
  readonly width?: number;
}

export interface Table {
  /** A sheet's name: at most 31 characters, none of []:*?/\ (Excel's own limits). */
  readonly sheet: string;
  readonly title: Texts;
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, CellValue>>[];
}

export const FORMATS = ['json', 'csv', 'xlsx'] as const;
export type Format = (typeof FORMATS)[number];
export const FormatSchema = z.enum(FORMATS).meta({ description: 'json (default), csv or xlsx; without it, the Accept header chooses' });

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The format a request asks for: the `format` parameter, else the Accept header, else JSON. */
export function formatOf(event: ApiEvent, format: Format | undefined): Format {
  if (format !== undefined) return format;
  const accept = (event.headers['accept'] ?? '').toLowerCase();
  if (accept.includes(XLSX_CONTENT_TYPE)) return 'xlsx';
  if (accept.includes('text/csv')) return 'csv';
  return 'json';
}

const dateOf = (day: string): Date => new Date(`${day}T00:00:00Z`);
const ddmmyyyy = (day: string): string => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;

function csvCell(value: CellValue): string {
  if (value === undefined) return '';
  const text = typeof value === 'object' ? ddmmyyyy(value.date) : String(value);
  return /[";\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV as Excel of a Kazakh or Russian locale opens it: UTF-8 with a byte-order mark, `;` between
 * fields (the comma is the decimal separator there), CRLF, dates as DD.MM.YYYY, and one header
 * row in Kazakh and Russian.
 */
export function csvOf(table: Table): string {
  const lines = [
    table.columns.map((column) => csvCell(`${column.head.kk} / ${column.head.ru}`)).join(';'),
    ...table.rows.map((row) => table.columns.map((column) => csvCell(row[column.key])).join(';')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A workbook of the tables, one sheet each: two header rows (kk, ru) frozen, dates as dates. */
export async function xlsxOf(tables: readonly Table[], creator = 'Merzim'): Promise<Buffer> {
  // Loaded by the XLSX answer alone: exceljs is most of the API's bundle, and would be read at every cold start.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = creator;
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.columns = table.columns.map((column) => ({ key: column.key, width: column.width ?? (column.type === 'text' ? 28 : 14) }));
    sheet.addRow(table.columns.map((column) => column.head.kk));
    sheet.addRow(table.columns.map((column) => column.head.ru));
    for (const header of [sheet.getRow(1), sheet.getRow(2)]) {
      header.font = { bold: true };
      header.alignment = { wrapText: true, vertical: 'top' };
    }
    for (const row of table.rows) {
      sheet.addRow(
        table.columns.map((column) => {
          const value = row[column.key];
          if (value === undefined) return null;
          return typeof value === 'object' ? dateOf(value.date) : value;
        }),
      );
    }
    table.columns.forEach((column, index) => {
      if (column.type === 'date') sheet.getColumn(index + 1).numFmt = 'dd.mm.yyyy';
    });
    // The table's title, for whoever opens the sheet without this page: in the sheet's header.
    sheet.headerFooter.oddHeader = `&L${table.title.kk.replaceAll('&', '&&')}&R${table.title.ru.replaceAll('&', '&&')}`;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The answer in the chosen form; `name` is the file's name without its extension. */
export async function answer(format: Format, name: string, body: () => unknown, tables: () => readonly Table[], flat: () => Table = () => tables()[0] as Table): Promise<ApiResponse> {
  switch (format) {
    case 'json':
      return json(200, body());
    case 'csv':
      return { statusCode: 200, headers: { 'content-type': CSV_CONTENT_TYPE, 'content-disposition': `attachment; filename="${name}.csv"` }, body: csvOf(flat()) };
    case 'xlsx':
      return {
        statusCode: 200,
        headers: { 'content-type': XLSX_CONTENT_TYPE, 'content-disposition': `attachment; filename="${name}.xlsx"` },
        body: (await xlsxOf(tables())).toString('base64'),
        isBase64Encoded: true,
      };
  }
}
