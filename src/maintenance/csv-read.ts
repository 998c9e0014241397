import { createReadStream } from 'node:fs';

export interface CsvRow {
  /** Line of the file where the row starts (a quoted field may span lines). */
  line: number;
  fields: Record<string, string>;
}

/**
 * Streams the rows of an RFC 4180 CSV file (as csv.ts writes it: quoted fields with doubled quotes,
 * CRLF or LF) as objects keyed by the header row. One row at a time is held in memory.
 */
export async function* readCsv(path: string): AsyncGenerator<CsvRow> {
  let headers: string[] | null = null;
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let rowLine = 1;
  const finishRow = function* (): Generator<CsvRow> {
    row.push(field);
    field = '';
    if (headers === null) headers = row;
    else if (row.length > 1 || row[0] !== '') yield { line: rowLine, fields: Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ''])) };
    row = [];
    rowLine = line;
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8' }) as AsyncIterable<string>) {
    for (const c of chunk) {
      if (quoted) {
        if (c === '"') [quoted, afterQuote] = [false, true];
        else field += c;
        if (c === '\n') line++;
        continue;
      }
      if (c === '"') {
        if (afterQuote) field += '"'; // a doubled quote inside a quoted field
        quoted = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (c === ',') {
        row.push(field);
        field = '';
      } else if (c === '\n') {
        line++;
        yield* finishRow();
      } else if (c !== '\r') field += c;
    }
  }
  if (field !== '' || row.length > 0) yield* finishRow();
}
