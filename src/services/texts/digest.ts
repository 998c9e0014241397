import { createHash } from 'node:crypto';
import { safeSlice } from '../../domain/text-slice.ts';
import { BadUserInputError } from '../../errors.ts';

/** Bytes between checkpoints: a slice read from a blob reads at most about this much more than it returns. */
export const CHECKPOINT_BYTES = 1024 * 1024;

export interface TextSummary {
  size: number;
  /** Length in UTF-16 code units, the unit of StoredText.text(offset, length). */
  chars: number;
  sha256: string;
  preview: string;
  /** [byte, char, ...] at character boundaries; empty for ASCII, where byte and char offsets agree. */
  checkpoints: number[];
}

/**
 * Everything a row needs about a text, computed while its bytes stream past once: size, sha256,
 * length in characters, preview and range-read checkpoints. Invalid UTF-8 is a BAD_USER_INPUT
 * error (thrown from `update`, so a streaming write stops at the first bad byte).
 */
export class TextDigest {
  private size = 0;
  private chars = 0;
  private head = '';
  private lastCheckpoint = 0;
  private readonly checkpoints: number[] = [];
  private readonly hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly field: string,
    private readonly previewSize: number,
  ) {}

  update(chunk: Uint8Array): void {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.invalid();
    }
    this.hash.update(chunk);
    this.size += chunk.byteLength;
    this.chars += text.length;
    if (this.head.length <= this.previewSize) this.head += text.slice(0, this.previewSize + 1 - this.head.length);
    // A checkpoint needs the decoder to hold no partial character, which this chunk's tail shows.
    if (this.size - this.lastCheckpoint >= CHECKPOINT_BYTES && endsOnCharBoundary(chunk)) {
      this.checkpoints.push(this.size, this.chars);
      this.lastCheckpoint = this.size;
    }
  }

  finish(): TextSummary {
    try {
      this.decoder.decode();
    } catch {
      throw this.invalid();
    }
    return {
      size: this.size,
      chars: this.chars,
      sha256: this.hash.digest('hex'),
      preview: safeSlice(this.head, 0, this.previewSize),
      checkpoints: this.chars === this.size ? [] : this.checkpoints,
    };
  }

  private invalid(): BadUserInputError {
    return new BadUserInputError(`${this.field} is not valid UTF-8 (at or after byte ${this.size}); send UTF-8 text.`, { field: this.field });
  }
}

/** True when the chunk's last character is complete (needs 4+ bytes to tell from the chunk alone). */
function endsOnCharBoundary(chunk: Uint8Array): boolean {
  const n = chunk.byteLength;
  if (n < 4) return false;
  for (let i = n - 1; i >= n - 4; i--) {
    const b = chunk[i]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead byte
    const needed = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return n - i === needed;
  }
  return false;
}
