const WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordCodePoint(cp: number): boolean {
  if (cp < 0x80) {
    const lower = cp | 0x20;
    return (lower >= 0x61 && lower <= 0x7a) || (cp >= 0x30 && cp <= 0x39);
  }
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/** The code point ending just before index i (joins a surrogate pair). */
function codePointBefore(s: string, i: number): number {
  const low = s.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = s.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return low;
}

/** True when s[begin, end) is not glued to a letter or digit on either side. */
export function isWholeWordAt(s: string, begin: number, end: number): boolean {
  if (begin > 0 && isWordCodePoint(codePointBefore(s, begin))) return false;
  return end >= s.length || !isWordCodePoint(s.codePointAt(end)!);
}

/** True when some occurrence of keyword in s, overlapping ones included, is a whole word. */
export function containsWholeWord(s: string, keyword: string): boolean {
  for (let at = s.indexOf(keyword); at !== -1; at = s.indexOf(keyword, at + 1)) {
    if (isWholeWordAt(s, at, at + keyword.length)) return true;
  }
  return false;
}
