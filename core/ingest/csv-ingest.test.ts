import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { pimaPath } from '../testing/pima';
import { detectDelimiter } from './csv-dialect';
import { CsvIngest, ingestCsvFile } from './csv-ingest';
import type { FileErrorCode } from './validation-report';

const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-ingest-'));
let counter = 0;
function file(content: string | Buffer, name = `case-${++counter}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const HEADER = 'patient_id,Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age';
const ROW_A = 'P001,6,148,72,35,0,33.6,0.627,50';
const ROW_B = 'P002,1,85,66,29,0,26.6,0.351,31';

async function batch(content: string | Buffer, options: { readChunkBytes?: number } = {}) {
  return ingestCsvFile(file(content), { mode: 'batch', ...options });
}

describe('whole-file rejections', () => {
  const cases: [string, string | Buffer, FileErrorCode, RegExp][] = [
    ['an empty file', '', 'empty', /is empty/],
    ['a file of blank lines', '\n\n  \n', 'empty', /is empty/],
    ['a header-only file', `${HEADER}\n`, 'header_only', /no data rows/],
    ['a header-only file with trailing blank lines', `${HEADER}\r\n\r\n\r\n`, 'header_only', /no data rows/],
    ['missing columns', 'patient_id,Glucose,BMI\nP1,120,30\n', 'missing_columns', /Pregnancies, BloodPressure/],
    ['a 1-column file', 'patient_id\nP1\nP2\n', 'missing_columns', /missing the required columns Pregnancies/],
    ['a file with only ";"', ';\n', 'missing_columns', /no column names/],
    [
      'duplicate header names',
      `${HEADER},Glucose\n${ROW_A},120\n`,
      'duplicate_headers',
      /duplicate column names: Glucose/,
    ],
    [
      'headers duplicate once normalised',
      `${HEADER},blood_pressure\n${ROW_A},70\n`,
      'duplicate_headers',
      /BloodPressure \/ blood_pressure/,
    ],
    ['a binary file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14, 0x00]), 'binary', /binary/],
    [
      'Latin-1 text',
      Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from('Pé01,1,85,66,29,0,26.6,0.351,31\n', 'latin1')]),
      'not_utf8',
      /not valid UTF-8/,
    ],
  ];
  for (const [name, content, code, message] of cases) {
    test(`${name} is rejected as ${code}`, async () => {
      const result = await batch(content);
      expect(result.ok).toBe(false);
      expect(result.report.status).toBe('rejected');
      expect(result.report.fileError?.code).toBe(code);
      expect(result.report.fileError?.message).toMatch(message);
      expect(result.report.fileError?.message).toMatch(/^case-\d+\.csv: /);
    });
  }

  test('a missing file is reported as unreadable, not thrown', async () => {
    const result = await ingestCsvFile(join(dir, 'does-not-exist.csv'), { mode: 'batch' });
    expect(result.ok).toBe(false);
    expect(result.report.fileError?.code).toBe('unreadable');
  });

  test('invalid UTF-8 late in a large file still rejects the file after rows were streamed', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `P${i},1,85,66,29,0,26.6,0.351,31`).join('\n');
    const content = Buffer.concat([Buffer.from(`${HEADER}\n${rows}\n`), Buffer.from([0xff, 0xfe, 0x0a])]);
    const ingest = new CsvIngest(file(content), { mode: 'batch', readChunkBytes: 4096 });
    let streamed = 0;
    for await (const chunk of ingest.chunks()) streamed += chunk.rowCount;
    expect(streamed).toBeGreaterThan(0);
    expect(ingest.report.fileError?.code).toBe('not_utf8');
  });

  test('a training file must carry Outcome', async () => {
    const result = await ingestCsvFile(
      file(
        'Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age\n1,2,3,4,5,6,0.1,30\n',
      ),
      {
        mode: 'training',
      },
    );
    expect(result.report.fileError?.message).toMatch(/missing the required column Outcome/);
  });
});

describe('what real exports produce is accepted', () => {
  async function expectTwoRows(content: string | Buffer) {
    const result = await batch(content);
    expect(result.report.fileError).toBeNull();
    expect(result.ok).toBe(true);
    if (!result.ok) return result;
    expect(result.table.ids).toEqual(['P001', 'P002']);
    expect(Array.from(result.table.features.BMI)).toEqual([33.6, 26.6]);
    expect(Array.from(result.table.features.Age)).toEqual([50, 31]);
    return result;
  }

  test('plain comma-separated LF', async () => {
    const result = await expectTwoRows(`${HEADER}\n${ROW_A}\n${ROW_B}\n`);
    expect(result.report.delimiter).toBe(',');
    expect(Array.from(result.ok ? result.table.lineNumbers : [])).toEqual([2, 3]);
  });

  test('a UTF-8 byte order mark and CRLF line ends', async () => {
    const result = await expectTwoRows(`\uFEFF${HEADER}\r\n${ROW_A}\r\n${ROW_B}\r\n`);
    expect(result.report.hadByteOrderMark).toBe(true);
  });

  test('semicolons with decimal commas', async () => {
    const semi = (row: string) => row.replace(/,/g, ';').replace(/(\d)\.(\d)/g, '$1,$2');
    const result = await expectTwoRows(`${semi(HEADER)}\n${semi(ROW_A)}\n${semi(ROW_B)}\n`);
    expect(result.report.delimiter).toBe(';');
    expect(result.report.decimalComma).toBe(true);
    expect(result.ok && Array.from(result.table.features.DiabetesPedigreeFunction)).toEqual([0.627, 0.351]);
  });

  test('tabs', async () => {
    const tab = (row: string) => row.replace(/,/g, '\t');
    const result = await expectTwoRows(`${tab(HEADER)}\n${tab(ROW_A)}\n${tab(ROW_B)}\n`);
    expect(result.report.delimiter).toBe('\t');
  });

  test('quoted fields, loose header names, reordered and extra columns, trailing empty lines', async () => {
    const content = [
      '"Age"," patient id ","pregnancies","GLUCOSE","Blood Pressure",skin_thickness,insulin,bmi,Diabetes Pedigree Function,Notes',
      '50,"P001",6,"148",72,35,0,33.6,0.627,"called, left message"',
      '31,P002,1,85,66,29,0,26.6,0.351,',
      '',
      '',
    ].join('\n');
    const result = await expectTwoRows(content);
    expect(result.report.headerMapping).toContainEqual({ source: ' patient id ', column: 'patient_id' });
    expect(result.report.headerMapping).toContainEqual({ source: 'Blood Pressure', column: 'BloodPressure' });
    expect(result.report.ignoredColumns).toEqual(['Notes']);
  });

  test('a quoted field with an embedded delimiter and newline keeps later line numbers right', async () => {
    const content = `${HEADER},Comment\n${ROW_A},"two lines,\nwith a comma"\nP002,1,85,66,29,0,26.6,0.351,-4,x\n`;
    const result = await batch(content);
    expect(result.ok && result.table.ids).toEqual(['P001']);
    expect(result.report.errors).toEqual([
      expect.objectContaining({ line: 4, patientId: 'P002', column: 'Age', value: '-4', rule: 'negative' }),
    ]);
  });

  test('chunk boundaries do not change the result', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) =>
      i % 97 === 0
        ? `P${i},1,"8""5",66,29,0,26.6,0.351,31`
        : `P${i},${i % 9},${80 + (i % 90)},66,29,0,${20 + (i % 30)}.5,0.351,${21 + (i % 50)}`,
    );
    const content = `${HEADER}\r\n${rows.join('\r\n')}\r\n`;
    const whole = await batch(content);
    const small = await batch(content, { readChunkBytes: 113 });
    expect({ ...small.report, file: '' }).toEqual({ ...whole.report, file: '' });
    expect(whole.ok && small.ok).toBe(true);
    if (whole.ok && small.ok) {
      expect(small.table.ids).toEqual(whole.table.ids);
      expect(small.table.features.BMI).toEqual(whole.table.features.BMI);
      expect(small.table.lineNumbers).toEqual(whole.table.lineNumbers);
      expect(small.sha256).toBe(whole.sha256);
    }
    expect(whole.report.rowsRejected).toBe(Math.ceil(3000 / 97));
  });

  test('multi-byte characters split across reads decode correctly', async () => {
    const content = `${HEADER}\nPé-ü-数,1,85,66,29,0,26.6,0.351,31\n`;
    const result = await batch(content, { readChunkBytes: 7 });
    expect(result.ok && result.table.ids).toEqual(['Pé-ü-数']);
  });
});

describe('row errors', () => {
  const rows = [
    'P01,1,85,66,29,0,26.6,0.351,31', // line 2 valid
    'P02,1,,66,29,0,26.6,0.351,31', // line 3 Glucose missing
    'P03,1,abc,66,29,0,26.6,0.351,31', // line 4 Glucose not numeric
    'P04,1,85,-1,29,0,26.6,0.351,31', // line 5 negative
    'P05,1.5,85,66,29,0,26.6,0.351,31', // line 6 Pregnancies not integer
    'P06,1,85,66,29,0,26.6,0.351,130', // line 7 Age out of range
    ',1,85,66,29,0,26.6,0.351,31', // line 8 id missing
    `${'X'.repeat(65)},1,85,66,29,0,26.6,0.351,31`, // line 9 id too long
    'P09,1,85,66,29,0,26.6,0.351', // line 10 too few fields
    'P10,1,0x10,66,29,0,26.6,0.351,31', // line 11 hex is not a number here
    'P11,1,85,66,29,0,26.6,0.351,31.5', // line 12 Age not integer
    'P12,1,85,66,29,0,26.6,0.351,31', // line 13 valid
  ];

  test('every rejected row is reported with line, patient, column, value and rule; valid rows go on', async () => {
    const result = await batch(`${HEADER}\n${rows.join('\n')}\n`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.table.ids).toEqual(['P01', 'P12']);
    expect(Array.from(result.table.lineNumbers)).toEqual([2, 13]);
    const summary = result.report.errors.map((e) => [e.line, e.patientId, e.column, e.value, e.rule]);
    expect(summary).toEqual([
      [3, 'P02', 'Glucose', '', 'missing'],
      [4, 'P03', 'Glucose', 'abc', 'not_numeric'],
      [5, 'P04', 'BloodPressure', '-1', 'negative'],
      [6, 'P05', 'Pregnancies', '1.5', 'not_integer'],
      [7, 'P06', 'Age', '130', 'out_of_range'],
      [8, null, 'patient_id', '', 'id_missing'],
      [9, null, 'patient_id', `${'X'.repeat(64)}…`, 'id_too_long'],
      [10, 'P09', '(row)', '8 fields', 'field_count'],
      [10, 'P09', 'Age', '', 'missing'],
      [11, 'P10', 'Glucose', '0x10', 'not_numeric'],
      [12, 'P11', 'Age', '31.5', 'not_integer'],
    ]);
    expect(result.report.rowsRead).toBe(12);
    expect(result.report.rowsValid).toBe(2);
    expect(result.report.rowsRejected).toBe(10);
    expect(result.report.rejectedByRule).toEqual({
      missing: 2,
      not_numeric: 2,
      negative: 1,
      not_integer: 2,
      out_of_range: 1,
      id_missing: 1,
      id_too_long: 1,
      field_count: 1,
    });
    // The report is plain data: it survives JSON unchanged.
    expect(JSON.parse(JSON.stringify(result.report))).toEqual(result.report);
  });

  test('Outcome other than 0/1 rejects a training row', async () => {
    const content = `Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age,Outcome\n1,85,66,29,0,26.6,0.351,31,2\n1,85,66,29,0,26.6,0.351,31,1\n`;
    const result = await ingestCsvFile(file(content), { mode: 'training' });
    expect(result.ok && result.table.rowCount).toBe(1);
    expect(result.report.errors[0]).toMatchObject({
      line: 2,
      column: 'Outcome',
      value: '2',
      rule: 'outcome_not_binary',
    });
  });

  test('an unclosed quote is a malformed row, not a crash', async () => {
    const result = await batch(`${HEADER}\n${ROW_A}\nP002,1,"85,66,29,0,26.6,0.351,31\n`);
    expect(result.ok && result.table.ids).toEqual(['P001']);
    expect(result.report.errors[0]).toMatchObject({ line: 3, rule: 'malformed_csv' });
  });
});

describe('warnings keep the row', () => {
  test('implausible values, values far outside the training data, and duplicate ids', async () => {
    const content = [
      HEADER,
      'P01,1,450,66,29,0,26.6,0.351,31', // glucose > 400
      'P02,25,85,66,29,0,26.6,0.351,31', // pregnancies > 20
      'P03,1,85,66,95,0,26.6,0.351,31', // skinfold 95: past 60 + half of the 7-60 training range
      'P01,1,85,66,29,0,26.6,0.351,31', // duplicate of line 2
      'P05,1,0,66,29,0,26.6,0.351,31', // glucose 0 means "not measured": no warning
      'P06,1,85,66,29,800,26.6,2.4,70', // a long tail the training data holds too: no warning
      'P07,1,35,66,29,0,26.6,0.351,31', // glucose < 40: implausible low
    ].join('\n');
    const range = {
      min: {
        Pregnancies: 0,
        Glucose: 44,
        BloodPressure: 24,
        SkinThickness: 7,
        Insulin: 14,
        BMI: 18.2,
        DiabetesPedigreeFunction: 0.078,
        Age: 21,
      },
      max: {
        Pregnancies: 17,
        Glucose: 199,
        BloodPressure: 122,
        SkinThickness: 60,
        Insulin: 846,
        BMI: 67.1,
        DiabetesPedigreeFunction: 2.42,
        Age: 81,
      },
    };
    const result = await ingestCsvFile(file(content), { mode: 'batch', trainingRange: range });
    expect(result.ok && result.table.rowCount).toBe(7);
    expect(result.report.warnings.map((w) => [w.line, w.column, w.rule])).toEqual([
      [2, 'Glucose', 'implausible'],
      [3, 'Pregnancies', 'implausible'],
      [4, 'SkinThickness', 'outside_training_range'],
      [5, 'patient_id', 'duplicate_id'],
      [8, 'Glucose', 'implausible'],
    ]);
    const messages = result.report.warnings.map((w) => w.message);
    expect(messages[0]).toBe(
      'Glucose is outside the plausible range 40-400 mg/dL: check the value was entered in mg/dL',
    );
    expect(messages[1]).toBe('Pregnancies is outside the plausible range 0-20: confirm the number of pregnancies');
    expect(messages[2]).toBe(
      "SkinThickness is far outside the training data's range (7-60 mm), so its score is an extrapolation: confirm the measurement",
    );
    expect(messages[3]).toBe('this patient_id appears more than once in the file (first seen on line 2)');
    // A message never carries the value: it is in the issue's own value field.
    expect(messages.some((m) => m.includes('450') || m.includes('35'))).toBe(false);
    expect(result.report.rowsWithWarnings).toBe(5);
    expect(result.report.rowsRejected).toBe(0);
  });
});

describe('the training file goes through the same ingest', () => {
  test('Pima reads with synthetic ids and the file hash', async () => {
    const result = await ingestCsvFile(pimaPath(), { mode: 'training' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.table.ids[0]).toBe('row-2');
    expect(result.table.ids[767]).toBe('row-769');
    const { createHash } = await import('node:crypto');
    expect(result.sha256).toBe(createHash('sha256').update(readFileSync(pimaPath())).digest('hex'));
  });
});

test('delimiter detection ignores delimiters inside quotes', () => {
  expect(detectDelimiter('"a,b";c;d')).toBe(';');
  expect(detectDelimiter('a\tb\tc')).toBe('\t');
  expect(detectDelimiter('single')).toBe(',');
});
