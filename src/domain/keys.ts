import { BadUserInputError } from '../errors.ts';
import { checkString } from './validate.ts';

// C0 controls and DEL. A newline or escape in a key is almost always a bug upstream (a path or a
// log line pasted into a key), and such keys break every line-based tool that lists them
// (redis-cli, logs, MONITOR), so they are refused rather than stored.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A key, queue name, lock key, task id or series name: 1..maxBytes bytes of UTF-8 without control
 * characters. Everything else is allowed and literal: "*", "?", "[" and "{" mean nothing special.
 */
export function checkKey(field: string, value: string, maxBytes: number): string {
  if (value.length === 0) throw new BadUserInputError(`${field} must not be empty.`, { field });
  checkString(field, value, maxBytes);
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    throw new BadUserInputError(
      `${field} contains a control character (U+${code} at index ${control.index}); use printable characters such as ":" or "/" as separators.`,
      { field },
    );
  }
  return value;
}

/** A whole number (seconds, milliseconds, a count) within 0..max; names the setting that bounds it. */
export function checkWholeNumber(field: string, value: number, max: number, setting?: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    const bound = setting ? `${max} (${setting})` : String(max);
    throw new BadUserInputError(`${field} must be a whole number from 0 to ${bound} (got ${value}).`, { field, limit: max });
  }
  return value;
}
