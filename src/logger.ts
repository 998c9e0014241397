import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout: one structured record per event, ready for a log shipper. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'strata' } });
}
