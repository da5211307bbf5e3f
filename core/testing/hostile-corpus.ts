import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { markedRows } from './marked-batch';

/**
 * The hostile and corrupt batch files the leak test sends through the CLI: every one built from marked rows
 * (marked-batch.ts), so that the test knows every value in it but patient_id and can search every output for them.
 * Each entry writes its file into `dir` and returns its path and markers.
 */
export interface CorpusFile {
  name: string;
  write(dir: string): { path: string; markers: string[] };
}

const ROWS = 12;

/** Writes a marked batch changed by `edit` (rows as cell arrays, patient_id first); returns the markers. */
function marked(
  name: string,
  edit: (rows: string[][], header: string) => { text: string | Buffer; extraMarkers?: string[] },
): CorpusFile {
  return {
    name,
    write(dir) {
      const { header, rows, markers } = markedRows(ROWS, 'H');
      const { text, extraMarkers = [] } = edit(rows, header);
      const path = join(dir, `batch_${name}.csv`);
      writeFileSync(path, text);
      return { path, markers: [...markers, ...extraMarkers] };
    },
  };
}

const lines = (header: string, rows: string[][], newline = '\n') =>
  [header, ...rows.map((r) => r.join(','))].join(newline) + newline;

/** A distinctive text no output could hold by chance. */
const sentinel = (what: string, n: number) => `SENTINEL-${what}-${String(n).padStart(4, '0')}-Q7`;

export const HOSTILE_CORPUS: readonly CorpusFile[] = [
  marked('clean', (rows, header) => ({ text: lines(header, rows) })),
  marked('cr_only', (rows, header) => ({ text: lines(header, rows, '\r') })),
  marked('crlf_bom', (rows, header) => ({ text: `\ufeff${lines(header, rows, '\r\n')}` })),
  marked('utf16', (rows, header) => ({
    text: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines(header, rows), 'utf16le')]),
  })),
  marked('latin1', (rows, header) => {
    rows[3][2] = 'Glucosé-élevée';
    return { text: Buffer.from(lines(header, rows), 'latin1'), extraMarkers: ['Glucosé', 'élevée'] };
  }),
  marked('text_in_numbers', (rows, header) => {
    const extra: string[] = [];
    rows.forEach((r, i) => {
      if (i % 3 !== 1) return;
      r[1 + (i % 8)] = sentinel('text', i);
      extra.push(sentinel('text', i));
    });
    return { text: lines(header, rows), extraMarkers: extra };
  }),
  marked('formula_cells', (rows, header) => {
    const formulas = ['=HYPERLINK("http://sentinel.example/q7")', '+SENTINELPLUS', '@SENTINELAT', '-SENTINELMINUS'];
    formulas.forEach((f, i) => {
      rows[i][2 + i] = `"${f.replace(/"/g, '""')}"`;
    });
    return {
      text: lines(header, rows),
      extraMarkers: ['sentinel.example', 'SENTINELPLUS', 'SENTINELAT', 'SENTINELMINUS'],
    };
  }),
  marked('unclosed_quote', (rows, header) => {
    rows[4][3] = `"${rows[4][3]}`;
    return { text: lines(header, rows) };
  }),
  marked('out_of_range', (rows, header) => {
    rows[2][2] = '2999.123457';
    rows[5][4] = '1e309';
    rows[6][8] = '-00000777';
    return { text: lines(header, rows), extraMarkers: ['2999.123457', '00000777'] };
  }),
  marked('extra_columns', (rows, header) => {
    const extra = rows.map((_, i) => sentinel('note', i));
    return {
      text: lines(
        `${header},clinician_note`,
        rows.map((r, i) => [...r, extra[i]]),
      ),
      extraMarkers: extra,
    };
  }),
  marked('missing_id_column', (rows, header) => ({
    text: lines(
      header.replace('patient_id,', ''),
      rows.map((r) => r.slice(1)),
    ),
  })),
  marked('field_count', (rows, header) => {
    rows[1].push(sentinel('extra-field', 1));
    rows[7].splice(4, 2);
    return { text: lines(header, rows), extraMarkers: [sentinel('extra-field', 1)] };
  }),
  {
    name: 'header_1m_columns',
    write(dir) {
      const { header, rows, markers } = markedRows(ROWS, 'H');
      const names = Array.from({ length: 1_000_000 }, (_, i) => `SENTINELCOL${i}`);
      const path = join(dir, 'batch_header_1m_columns.csv');
      writeFileSync(path, lines(`${header},${names.join(',')}`, rows));
      return { path, markers: [...markers, 'SENTINELCOL'] };
    },
  },
  {
    name: 'value_5mb',
    write(dir) {
      const { header, rows, markers } = markedRows(ROWS, 'H');
      const path = join(dir, 'batch_value_5mb.csv');
      const fd = openSync(path, 'w');
      writeSync(fd, lines(header, rows.slice(0, 3)));
      writeSync(fd, `${rows[3].slice(0, 6).join(',')},${'7'.repeat(5 * 1024 * 1024)}SENTINEL5MB,`);
      writeSync(fd, `${rows[3].slice(7).join(',')}\n`);
      writeSync(fd, lines(header, rows.slice(4)).slice(header.length + 1));
      closeSync(fd);
      return { path, markers: [...markers, 'SENTINEL5MB', '7'.repeat(70)] };
    },
  },
];
