import { StartupError } from '../errors.ts';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "30d", "12h", "90m", "45s", "2w" as milliseconds; anything else stops the command with a hint. */
export function parseDuration(option: string, value: string | undefined): number {
  const match = value ? /^(\d+)([smhdw])$/.exec(value.trim()) : null;
  if (!match) throw new StartupError(`${option} needs a duration like 30d, 12h, 90m, 45s or 2w (got ${JSON.stringify(value ?? '')}).`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}
