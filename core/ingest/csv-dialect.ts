/** Delimiters a clinic export uses: ',' or, where ',' is the decimal mark, ';' or a tab. */
const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
/** Line endings read: LF, CRLF, and CR alone (old Mac exports), all detected from the header line. */
export type Newline = '\n' | '\r\n' | '\r';

/** The candidate that splits the header into the most fields, counting outside quotes; ',' when none occurs. */
export function detectDelimiter(headerLine: string): Delimiter {
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (let i = 0; i < headerLine.length; i++) {
      const c = headerLine[i];
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === d) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/**
 * The end of the first line of `text` and its line ending: LF, CRLF, or a CR alone. A CR as the last character
 * may be the first half of a CRLF, so it needs the next read unless the text is final. null: no line end yet.
 */
export function findLineEnd(text: string, final: boolean): { end: number; newline: Newline } | null {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr >= 0 && (lf < 0 || cr < lf)) {
    if (cr + 1 < text.length)
      return text[cr + 1] === '\n' ? { end: cr + 2, newline: '\r\n' } : { end: cr + 1, newline: '\r' };
    return final ? { end: cr + 1, newline: '\r' } : null;
  }
  return lf >= 0 ? { end: lf + 1, newline: '\n' } : null;
}

/** The character that ends a row (the LF of CRLF). */
export function lineEndChar(newline: Newline): '\n' | '\r' {
  return newline === '\r' ? '\r' : '\n';
}
