import stringWidth from 'string-width';

// Escape sequences (CSI, OSC, other ESC-introduced), then the remaining C0/C1 controls and the
// bidirectional overrides that can make text read differently from what it is.
// eslint-disable-next-line no-control-regex -- control characters are what these match
const escapes = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- control characters are what these match
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const lineBreaks = /[\t\n\r]+/g;

/**
 * Removes what a server could use to drive the terminal (escape sequences, control characters,
 * bidi overrides) from text it sent; tabs and line breaks stay (CSV keeps them inside quotes).
 */
export function stripControls(text: string): string {
  return text.replace(escapes, '').replace(controls, '');
}

/** {@link stripControls}, and line breaks and tabs as one space: a cell or message on one line. */
export function oneLine(text: string): string {
  return stripControls(text).replace(lineBreaks, ' ');
}

/** Columns the text takes on a terminal (wide CJK and emoji count two). */
export const displayWidth = (text: string): number => stringWidth(text);

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts text to at most `width` columns, ending in `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    kept += segment;
    used += w;
  }
  return `${kept}…`;
}

/** Pads text with spaces to `width` columns. */
export const padEnd = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - displayWidth(text)));
