import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * A CSV file written with buffering, as seed 000's CSVExporter: rows collect in memory and go to
 * the file `bufferRows` at a time, one write each, waiting for the stream to drain.
 */
export class CsvWriter {
  private readonly out: WriteStream;
  private buffer: string[] = [];

  constructor(
    path: string,
    private readonly headers: readonly string[],
    private readonly bufferRows = 1000,
  ) {
    this.out = createWriteStream(path, { flags: 'w' });
    this.buffer.push(headers.map(csvField).join(','));
  }

  async write(row: Record<string, unknown>): Promise<void> {
    this.buffer.push(this.headers.map((h) => csvField(row[h])).join(','));
    if (this.buffer.length >= this.bufferRows) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = `${this.buffer.join('\r\n')}\r\n`;
    this.buffer = [];
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}
