/**
 * Keys kept in UTF-8 byte order, the order Redis's ZRANGEBYLEX uses, so both KV backends list a
 * range the same way. JavaScript's `<` compares UTF-16 code units, which puts U+10000 and above
 * (surrogate pairs) before U+E000..U+FFFF; comparing code points at the first difference matches
 * UTF-8 byte order instead.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.codePointAt(i)! < b.codePointAt(i)! ? -1 : 1;
  }
  return a.length - b.length;
}

/** A sorted array with binary search: O(log n) lookups, O(n) inserts (a memmove, fast enough). */
export class SortedKeys {
  readonly #keys: string[] = [];

  /** Index of the first key >= `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.#keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareUtf8(this.#keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: string): void {
    const i = this.lowerBound(key);
    if (this.#keys[i] !== key) this.#keys.splice(i, 0, key);
  }

  remove(key: string): void {
    const i = this.lowerBound(key);
    if (this.#keys[i] === key) this.#keys.splice(i, 1);
  }

  at(index: number): string | undefined {
    return this.#keys[index];
  }

  clear(): void {
    this.#keys.length = 0;
  }
}
