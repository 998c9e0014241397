/**
 * PostgreSQL write-ahead log positions ("16/B374D848": two hex halves of a 64-bit byte offset),
 * the consistency tokens of read-your-writes (read-routing.ts).
 */
const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The position as a number that orders like the log, or null for anything that is not an LSN. */
export function parseLsn(text: string): bigint | null {
  const m = LSN.exec(text);
  return m ? (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`) : null;
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
