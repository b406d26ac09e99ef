/** The offset of the first lone surrogate in `text` (which `encodeURIComponent` cannot encode), or -1. */
export function loneSurrogateAt(text: string): number {
  // Fast path: most texts hold no surrogate at all.
  if (!/[\uD800-\uDFFF]/.test(text)) return -1;
  return /\p{Cs}/u.exec(text)?.index ?? -1;
}
