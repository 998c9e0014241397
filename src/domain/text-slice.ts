/** Cuts at `end`, moved back by one when it would split a surrogate pair (the same at `start`). */
export function safeSlice(text: string, start: number, end: number): string {
  const fix = (i: number) => (i > 0 && i < text.length && /[\uD800-\uDBFF]/.test(text[i - 1]!) ? i - 1 : i);
  return text.slice(fix(start), fix(end));
}
