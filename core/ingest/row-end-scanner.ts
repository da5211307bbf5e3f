import type { Newline } from './csv-dialect';

/** Where the scan is within a row, as papaparse reads quotes. */
type QuoteState = 'fieldStart' | 'unquoted' | 'quoted' | 'quote' | 'quoteSpace';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** JavaScript's trim() whitespace, which papaparse allows between a closing quote and what follows it. */
function isSpace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  return code >= 128 && /\s/.test(String.fromCharCode(code));
}

/**
 * Finds where a row being skipped (one over the length limit) ends, across reads, reading quotes as papaparse does:
 * a quote opens a field only at its start; in a quoted field a doubled quote is a quote, and a quote closes the field
 * only when what follows it, after any whitespace, is a delimiter or the line end (otherwise it is text); a line end
 * inside a quoted field does not end the row. So the skip ends where one read of the whole file ends the row.
 * In a CRLF file only CRLF ends a row. Text or bytes: bytes are UTF-8, whose multi-byte characters never contain
 * these ASCII codes (a non-ASCII space after a closing quote is read as text there; the text path reads it as space).
 */
export class RowEndScanner {
  private state: QuoteState = 'fieldStart';
  /** A CRLF file's CR outside quotes, not yet known to begin the line end. */
  private carriageReturn = false;
  private readonly delimiter: number;
  private readonly eol: number;

  constructor(
    delimiter: string,
    private readonly newline: Newline,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
    this.eol = newline === '\r' ? CR : LF;
  }

  /**
   * The index of the last character of the row's line end in `data`, or -1 when the row goes on past it.
   * `onLineInside` is called for every line-end character inside the row (in a quoted field, or a CRLF file's bare
   * LF), which are physical lines, numbered as one read of the file numbers them.
   */
  scan(data: Buffer | string, onLineInside: () => void = () => {}): number {
    const text = typeof data === 'string';
    for (let i = 0; i < data.length; i++) {
      if (this.state === 'quoted' && !this.carriageReturn) {
        // Inside a quoted field only a quote changes anything: jump to the next one, counting the lines on the way
        // (an unclosed quote before a large file's rest is the hostile case).
        const next = text ? (data as string).indexOf('"', i) : (data as Buffer).indexOf(QUOTE, i);
        const stop = next < 0 ? data.length : next;
        const eol = text ? String.fromCharCode(this.eol) : this.eol;
        for (let j = data.indexOf(eol as never, i); j >= 0 && j < stop; j = data.indexOf(eol as never, j + 1)) {
          onLineInside();
        }
        if (next < 0) return -1;
        i = next;
      }
      const code = text ? (data as string).charCodeAt(i) : (data as Buffer)[i];
      if (this.carriageReturn) {
        this.carriageReturn = false;
        if (code === LF) return i;
        // The CR was text (or space after a closing quote): take it as such, then this character.
        this.step(CR);
      }
      if (this.newline === '\r\n' && code === CR && this.state !== 'quoted') {
        this.carriageReturn = true;
        continue;
      }
      if (this.newline !== '\r\n' && code === this.eol && this.state !== 'quoted') return i;
      if (code === this.eol) onLineInside();
      this.step(code);
    }
    return -1;
  }

  /** Whether what was scanned so far ends inside a quoted field (a quote just read may still close it). */
  get insideQuote(): boolean {
    return this.state === 'quoted';
  }

  private step(code: number): void {
    switch (this.state) {
      case 'fieldStart':
        if (code === QUOTE) this.state = 'quoted';
        else if (code !== this.delimiter) this.state = 'unquoted';
        return;
      case 'unquoted':
        if (code === this.delimiter) this.state = 'fieldStart';
        return;
      case 'quoted':
        if (code === QUOTE) this.state = 'quote';
        return;
      case 'quote':
      case 'quoteSpace':
        if (code === this.delimiter) this.state = 'fieldStart';
        else if (code === QUOTE) this.state = this.state === 'quote' ? 'quoted' : 'quote';
        else this.state = isSpace(code) ? 'quoteSpace' : 'quoted';
        return;
    }
  }
}
