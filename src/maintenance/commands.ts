import { parseArgs } from 'node:util';
import { createRegistry, type Registry } from '../backends/registry.ts';
import type { Config } from '../config.ts';
import { StartupError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { existsSync, readFileSync } from 'node:fs';
import { decodeEntry, journaledBlobKeys } from '../backends/journal/entries.ts';
import { audited } from './audit.ts';
import { cleanup } from './cleanup.ts';
import { parseDuration } from './duration.ts';
import { exportAll, type ExportFormat } from './export.ts';
import { importDir } from './import.ts';
import { progressBar } from './progress.ts';

export const MAINTENANCE_USAGE = `  cleanup --older-than 30d [--dry-run] [--orphan-grace 24h]
                        Remove evaluations finished or soft-deleted before then, with their events,
                        metrics, logs and blobs, in batches; then blobs no row names. Prints what it removed.
  export <dir> [--format jsonl|csv]
                        Write every evaluation with its events and metrics (default jsonl).
  import <dir>          Read an export (evaluations.jsonl or .csv) or the old one-JSON-file-per-evaluation layout.
                        Idempotent and resumable; bad records are skipped and listed with file and line.`;

async function withDatabase<T>(config: Config, logger: Logger, run: (registry: Registry & { sql: NonNullable<Registry['sql']> }) => Promise<T>): Promise<T> {
  const registry = await createRegistry(config, logger, { migrate: true });
  try {
    if (!registry.sql) throw new StartupError('This command needs PostgreSQL or the embedded database; STORAGE_BACKEND=memory keeps nothing.');
    return await run(registry as Registry & { sql: NonNullable<Registry['sql']> });
  } finally {
    await registry.close();
  }
}

/** Blob keys in this machine's fallback journal (written while the primary was down, not replayed yet). */
function journalKeys(config: Config): Set<string> {
  const path = config.blobs.fallback?.journalPath;
  if (!path || !existsSync(path)) return new Set();
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim());
  return journaledBlobKeys(lines.flatMap((l) => {
    try {
      return [decodeEntry(JSON.parse(l))];
    } catch {
      return []; // a torn last line was never acknowledged
    }
  }));
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export async function cleanupCommand(config: Config, logger: Logger, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'older-than': { type: 'string' }, 'dry-run': { type: 'boolean' }, 'orphan-grace': { type: 'string' }, batch: { type: 'string' } } });
  const before = new Date(Date.now() - parseDuration('--older-than', values['older-than']));
  const orphanGraceMs = values['orphan-grace'] ? parseDuration('--orphan-grace', values['orphan-grace']) : 86_400_000;
  const batchSize = Number(values.batch ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new StartupError(`--batch must be a whole number above 0 (got ${values.batch}).`);
  const dryRun = values['dry-run'] ?? false;
  const s = await withDatabase(config, logger, (r) =>
    audited(r.audit, 'cleanup', (written) => {
      const options = { before, dryRun, batchSize, orphanGraceMs, idempotencyTtlSeconds: config.limits.idempotencyTtlSeconds, journaledBlobKeys: journalKeys(config) };
      return cleanup(r.sql, r.blobs, { ...options, forget: async (ids) => r.evaluations.forget?.(ids), audit: written }, progressBar('cleanup'));
    }),
  );
  const verb = dryRun ? 'Would remove' : 'Removed';
  console.log(`${verb} ${s.evaluations} evaluations (finished or soft-deleted before ${before.toISOString()}) with ${s.events} events, ${s.metrics} metrics, ${s.logs} log lines and ${s.blobs} blobs (${mib(s.blobBytes)}).`);
  console.log(`${verb} ${s.orphans.blobs} orphan blobs (${mib(s.orphans.bytes)}), ${s.orphans.temporaryFiles} temporary files and ${s.idempotencyKeys} expired idempotency keys.`);
}

export async function exportCommand(config: Config, logger: Logger, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string', default: 'jsonl' } } });
  const dir = positionals[0] ?? (() => { throw new StartupError('export needs a directory: strata export <dir> [--format jsonl|csv]'); })();
  if (values.format !== 'jsonl' && values.format !== 'csv') throw new StartupError(`--format must be jsonl or csv (got ${values.format}).`);
  const n = await withDatabase(config, logger, (r) => exportAll(r.evaluations, r.texts, dir, values.format as ExportFormat, progressBar('export')));
  console.log(`Exported ${n} evaluations to ${dir} as ${values.format}.`);
}

export async function importCommand(config: Config, logger: Logger, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const dir = positionals[0] ?? (() => { throw new StartupError('import needs a directory: strata import <dir>'); })();
  const s = await withDatabase(config, logger, (r) => audited(r.audit, 'import', (written) => importDir(r.sql, r.texts, config.limits, dir, progressBar('import'), written)));
  console.log(`Imported ${s.imported} evaluations; ${s.alreadyPresent} were already present; ${s.resumed} records done by an earlier run; ${s.skipped.length} bad records skipped.`);
  for (const bad of s.skipped.slice(0, 50)) console.log(`  skipped ${bad.file}:${bad.line}: ${bad.reason}`);
  if (s.skipped.length > 50) console.log(`  ... and ${s.skipped.length - 50} more`);
}
