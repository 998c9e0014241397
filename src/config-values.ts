import { z } from 'zod';

/**
 * The value types every config-*.ts file parses environment variables with, defined once so that
 * "1" means true and a port is a whole number in the same way for every variable.
 */

/** A whole number from `min` to `max` (environment values are strings: coerced). */
export const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

/** `true`/`false` or `1`/`0`; anything else is refused with the variable's name. */
export const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
