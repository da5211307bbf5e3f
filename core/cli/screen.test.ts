import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { OUTPUT_HEADER } from '../screening/output-csv';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { openStore } from '../store/sqlite-store';
import { cliWorkspaces } from '../testing/cli-workspaces';
import { execRawSql } from '../testing/store-fixtures';
import { buildTestModelParts } from '../testing/test-model';

/** Real files end to end through the CLI process, as a clinic would run it. */
const ROOT = resolve(import.meta.dirname, '../..');
const workspaces = cliWorkspaces('cli-test-');
const workspace = workspaces.workspace;

function cli(script: 'screen' | 'audit-verify', args: string[]) {
  const r = spawnSync('npx', ['tsx', `core/cli/${script}.ts`, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function pima() {
  return (await buildTestModelParts()).table;
}

describe('screen CLI', () => {
  test('scores a batch end to end, prints the summary, and --verify re-scores it identically', async () => {
    const w = workspace('e2e');
    const input = join(w.ws, 'batch_2026-11-08.csv');
    writeSyntheticBatch(input, await pima(), { rows: 5000, seed: 11 });
    const r = cli('screen', ['--input', input, '--config', w.config]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/batch 1: batch_2026-11-08\.csv \(completed\)/);
    expect(r.stdout).toMatch(/rows read 5000, scored 5000, rejected 0/);
    const lines = readFileSync(join(w.out, 'predictions_batch_2026-11-08.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(OUTPUT_HEADER);
    expect(lines).toHaveLength(5001);
    expect(lines[1]).toMatch(/^P0001,[01],\d\.\d{3},(Low|Medium|High),v0\.0\.1,\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    const [, high, medium, low] = r.stdout.match(/High (\d+), Medium (\d+), Low (\d+)/) ?? [];
    const counted = { High: 0, Medium: 0, Low: 0 } as Record<string, number>;
    for (const line of lines.slice(1)) counted[line.split(',')[3]]++;
    expect(counted).toEqual({ High: Number(high), Medium: Number(medium), Low: Number(low) });

    const v = cli('screen', ['--verify', '1', '--config', w.config]);
    expect(v.stdout).toMatch(/re-scored 5000 rows with v0\.0\.1: identical outputs; output sha256 identical/);
    expect(v.code).toBe(0);
  });

  test('a batch scored with 2 ONNX Runtime threads (the old default) verifies with that setting, and says so', async () => {
    const old = workspace('two-threads', { screening: { onnxThreads: 2 } });
    const input = join(old.ws, 'batch_old.csv');
    writeSyntheticBatch(input, await pima(), { rows: 20_000, seed: 23 });
    expect(cli('screen', ['--input', input, '--config', old.config]).code).toBe(0);
    // The same workspace with today's default of one thread.
    writeFileSync(old.config, readFileSync(old.config, 'utf8').replace('"onnxThreads":2', '"onnxThreads":1'));
    const v = cli('screen', ['--verify', '1', '--config', old.config]);
    expect(v.stdout).toMatch(/identical outputs \(with 2 ONNX Runtime threads, as scored\); output sha256 identical/);
    expect(v.code).toBe(0);
  });

  test('with the parse, score and store threads on, a big batch gives the same output as without, and verifies', async () => {
    const seq = workspace('threads-off', { screening: { storeThread: false, scoreThread: false } });
    const thr = workspace('threads-on', { screening: { parseThread: true, storeThread: true, scoreThread: true } });
    const input = join(workspaces.dir, 'batch_threads.csv');
    writeSyntheticBatch(input, await pima(), { rows: 150_000, seed: 19 });
    const a = cli('screen', ['--input', input, '--config', seq.config]);
    const b = cli('screen', ['--input', input, '--config', thr.config]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const strip = (text: string) => text.replace(/,[^,\n]*\n/g, '\n'); // prediction_date differs
    const outA = readFileSync(join(seq.out, 'predictions_batch_threads.csv'), 'utf8');
    const outB = readFileSync(join(thr.out, 'predictions_batch_threads.csv'), 'utf8');
    expect(strip(outB)).toBe(strip(outA));
    expect(b.stdout).toMatch(/rows read 150000, scored 150000/);
    // Scored on the score thread, re-scored here on this one: every score identical.
    const v = cli('screen', ['--verify', '1', '--config', thr.config]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/re-scored 150000 rows with .*: identical outputs; output sha256 identical/);
  }, 120_000);

  test('the same file twice is refused without --force (exit 2) and scored again with it', async () => {
    const w = workspace('dup');
    const input = join(w.ws, 'batch_dup.csv');
    writeSyntheticBatch(input, await pima(), { rows: 100, seed: 12 });
    expect(cli('screen', ['--input', input, '--config', w.config]).code).toBe(0);
    const again = cli('screen', ['--input', input, '--config', w.config]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already scored as batch 1 .*use --force/);
    expect(cli('screen', ['--input', input, '--config', w.config, '--force']).code).toBe(0);
    const store = openStore(w.db);
    expect(store.batches.list().map((b) => b.status)).toEqual(['completed', 'completed']);
    store.close();
  });

  test('a tampered model is refused naming the file, with exit 2, nothing stored, and no thread left running', async () => {
    const w = workspace('tampered-model');
    const input = join(w.ws, 'batch_tampered.csv');
    writeSyntheticBatch(input, await pima(), { rows: 50, seed: 13 });
    const modelDir = join(w.ws, 'model');
    cpSync(join(workspaces.dir, 'models/production'), modelDir, { recursive: true });
    appendFileSync(join(modelDir, 'model.onnx'), Buffer.from([0]));
    const started = Date.now();
    const r = cli('screen', ['--input', input, '--config', w.config, '--model-dir', modelDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model\.onnx: sha256 [0-9a-f]+ does not match/);
    // The process ended by itself (a score thread never given its model would keep it alive for good).
    expect(Date.now() - started).toBeLessThan(60_000);
    const store = openStore(w.db);
    expect(store.batches.list()).toEqual([]);
    store.close();
    expect(existsSync(w.out) ? readdirSync(w.out) : []).toEqual([]);
  });

  test('the malformed-file corpus: each file is rejected (exit 1) or scored (exit 0) as it should be', () => {
    const w = workspace('corpus');
    const header =
      'patient_id,Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age';
    const good = 'P1,6,148,72,35,0,33.6,0.627,50';
    const corpus: [string, string | Buffer, number, RegExp][] = [
      ['batch_empty.csv', '', 1, /empty/],
      ['batch_header_only.csv', `${header}\n`, 1, /header/],
      ['batch_missing_column.csv', 'patient_id,Glucose\nP1,148\n', 1, /missing_columns/],
      ['batch_binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0]), 1, /binary/],
      [
        'batch_latin1.csv',
        Buffer.concat([Buffer.from(`${header}\n`), Buffer.from([0x50, 0xe9, 0x2c, 0x31, 0x0a])]),
        1,
        /not_utf8/,
      ],
      [
        'batch_all_invalid.csv',
        `${header}\nP1,-1,148,72,35,0,33.6,0.627,50\nP2,1,abc,72,35,0,33.6,0.627,50\n`,
        1,
        /no valid rows/,
      ],
      ['batch_unclosed_quote.csv', `${header}\n${good}\n"P2,1,148,72,35,0,33.6,0.627,50\n`, 0, /rejected 1/],
      ['batch_semicolon.csv', `${header.replaceAll(',', ';')}\nP1;6;148;72;35;0;33,6;0,627;50\n`, 0, /scored 1,/],
      ['batch_bom_crlf.csv', `\ufeff${header}\r\n${good}\r\n`, 0, /scored 1,/],
    ];
    for (const [name, content, code, pattern] of corpus) {
      const input = join(w.ws, name);
      writeFileSync(input, content);
      const r = cli('screen', ['--input', input, '--config', w.config]);
      expect([name, r.code]).toEqual([name, code]);
      expect(`${r.stdout}${r.stderr}`).toMatch(pattern);
      if (code === 1) {
        const copies = readdirSync(w.rejected).filter((f) => f.endsWith(name));
        expect(copies).toHaveLength(1);
        expect(existsSync(join(w.rejected, `${copies[0]}.errors.json`))).toBe(true);
        expect(existsSync(join(w.out, `predictions_${name}`))).toBe(false);
      }
    }
    const store = openStore(w.db);
    expect(store.batches.list({ status: 'rejected' })).toHaveLength(6);
    store.close();
  });

  test('a batch killed mid-way leaves nothing in the database or the output folder; a rerun succeeds', async () => {
    const w = workspace('crash');
    const input = join(w.ws, 'batch_big.csv');
    writeSyntheticBatch(input, await pima(), { rows: 600_000, seed: 13 });
    // node --import tsx: one process, so SIGKILL hits the process doing the work (the tsx binary would fork).
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'core/cli/screen.ts', '--input', input, '--config', w.config],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    );
    // Kill once the temp output has grown past a few MB: the batch is then well under way.
    const killedMidway = await new Promise<boolean>((done) => {
      const poll = setInterval(() => {
        const temp = existsSync(w.out) ? readdirSync(w.out).find((f) => f.includes('.tmp-')) : undefined;
        if (temp && statSync(join(w.out, temp)).size > 3_000_000) {
          clearInterval(poll);
          child.kill('SIGKILL');
          done(true);
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(poll);
        done(false);
      });
    });
    expect(killedMidway).toBe(true);
    // SIGKILL lands once the process leaves the kernel (an fsync of a WAL checkpoint can take a while on a busy
    // disk): until it has exited, it is a live writer whose batch and temp files the rerun must leave alone.
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    expect(readdirSync(w.out).filter((f) => !f.startsWith('.'))).toEqual([]);
    const store = openStore(w.db);
    expect(store.batches.list()).toEqual([]);
    expect(store.audit.count()).toBe(0);
    store.close();
    const rerun = cli('screen', ['--input', input, '--config', w.config]);
    expect([rerun.code, rerun.stderr]).toEqual([0, expect.any(String)]);
    expect(readdirSync(w.out).sort()).toEqual(['predictions_batch_big.csv', 'predictions_batch_big_review.csv']);
    const after = openStore(w.db);
    expect(after.batches.list().map((b) => [b.status, b.rowsValid])).toEqual([['completed', 600_000]]);
    after.close();
  }, 180_000);

  test('Ctrl-C mid-batch exits 2 and leaves no batch, no output and no temp file', async () => {
    const w = workspace('sigint');
    const input = join(w.ws, 'batch_int.csv');
    writeSyntheticBatch(input, await pima(), { rows: 400_000, seed: 18 });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'core/cli/screen.ts', '--input', input, '--config', w.config],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    );
    const code = await new Promise<number | null>((done) => {
      const poll = setInterval(() => {
        const temp = existsSync(w.out) ? readdirSync(w.out).find((f) => f.includes('.tmp-')) : undefined;
        if (temp && statSync(join(w.out, temp)).size > 2_000_000) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('exit', (c) => {
        clearInterval(poll);
        done(c);
      });
    });
    expect(code).toBe(2);
    expect(readdirSync(w.out)).toEqual([]);
    const store = openStore(w.db);
    expect(store.batches.list()).toEqual([]);
    store.close();
  }, 120_000);

  test('--watch --once scores each new batch_*.csv once and ignores other files', async () => {
    const w = workspace('watch');
    const inbox = join(w.ws, 'incoming');
    mkdirSync(inbox);
    const table = await pima();
    writeSyntheticBatch(join(inbox, 'batch_mon.csv'), table, { rows: 20, seed: 15 });
    writeSyntheticBatch(join(inbox, 'batch_tue.csv'), table, { rows: 30, seed: 16 });
    writeSyntheticBatch(join(inbox, 'notes.csv'), table, { rows: 5, seed: 17 });
    writeFileSync(join(inbox, 'batch_broken.csv'), 'patient_id,Glucose\nP1,100\n');
    const first = cli('screen', ['--watch', inbox, '--once', '--config', w.config]);
    expect(first.code).toBe(1); // one file was rejected in this pass
    expect(readdirSync(w.out).sort()).toEqual([
      'predictions_batch_mon.csv',
      'predictions_batch_mon_review.csv',
      'predictions_batch_tue.csv',
      'predictions_batch_tue_review.csv',
    ]);
    const second = cli('screen', ['--watch', inbox, '--once', '--config', w.config]);
    expect(second.code).toBe(0);
    expect(readdirSync(w.rejected).filter((f) => f.endsWith('batch_broken.csv'))).toHaveLength(1);
    const store = openStore(w.db);
    expect(store.batches.list().map((b) => [b.fileName, b.source, b.status])).toEqual([
      ['batch_tue.csv', 'watch', 'completed'],
      ['batch_mon.csv', 'watch', 'completed'],
      ['batch_broken.csv', 'watch', 'rejected'],
    ]);
    store.close();
  });

  test('audit:verify passes an intact chain and names an edited event', async () => {
    const w = workspace('tamper');
    const input = join(w.ws, 'batch_t.csv');
    writeSyntheticBatch(input, await pima(), { rows: 10, seed: 14 });
    cli('screen', ['--input', input, '--config', w.config]);
    cli('screen', ['--input', input, '--config', w.config, '--force']);
    const ok = cli('audit-verify', ['--config', w.config]);
    expect([ok.code, ok.stdout]).toEqual([0, expect.stringMatching(/audit chain intact: 2 events checked/)]);
    execRawSql(
      w.db,
      `UPDATE audit_events SET details = replace(details, '"rowsRead":10', '"rowsRead":9') WHERE seq = 1`,
    );
    const bad = cli('audit-verify', ['--config', w.config]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/seq 1 \[edited\] event seq 1 \(batch\.scored by cli/);
  });

  test('no log line carries patient data other than patient_id', () => {
    const w = workspace('privacy');
    const input = join(w.ws, 'batch_private.csv');
    // Distinctive values, 7 characters or more, that cannot occur by chance in timings or counts (shorter ones,
    // like 29.13, did turn up inside a duration's digits now and then).
    const rows = [
      'patient_id,Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age',
      'PX-1,3,141.7319,71.3719,29.1397,97.3163,33.7129,0.4821371,47',
      'PX-2,2,-93.1771,64.1923,31.7707,88.4313,27.9317,0.3918713,39',
      'PX-3,1,398.7151,58.9101,22.6113,0,31.3711,0.2731973,29',
      'PX-4,4,abc,66.2113,24.5713,0,29.8317,0.7312973,53',
    ];
    writeFileSync(input, `${rows.join('\n')}\n`);
    const r = cli('screen', ['--input', input, '--config', w.config]);
    expect(r.code).toBe(0);
    const trail = readFileSync(join(w.ws, 'db/glucoscreen.audit.jsonl'), 'utf8');
    const logs = `${r.stdout}\n${r.stderr}\n${trail}`;
    const values = rows.slice(1).flatMap((line) => line.split(',').slice(1));
    const distinctive = values.filter((v) => v.length >= 7);
    expect(distinctive.length).toBeGreaterThan(20);
    for (const v of distinctive) expect([v, logs.includes(v)]).toEqual([v, false]);
    // The rejected rows are named by line, patient_id, column and rule only.
    expect(r.stderr).toMatch(/line 3 \(PX-2\): Glucose \[negative\]/);
    expect(r.stderr).toMatch(/line 5 \(PX-4\): Glucose \[not_numeric\]/);
  });
});

describe('screen --output', () => {
  async function batch(w: { ws: string }, name: string) {
    const input = join(w.ws, name);
    writeSyntheticBatch(input, await pima(), { rows: 300, seed: 5 });
    return input;
  }

  test('an existing directory gets the file named as without --output, with its review file', async () => {
    const w = workspace('output-dir');
    const input = await batch(w, 'batch_day.csv');
    const target = join(w.ws, 'exports');
    mkdirSync(target);
    for (const output of [target, `${target}/`]) {
      const r = cli('screen', ['--input', input, '--output', output, '--config', w.config, '--force']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`output: ${join(target, 'predictions_batch_day.csv')}`);
    }
    expect(readdirSync(target).sort()).toEqual(['predictions_batch_day.csv', 'predictions_batch_day_review.csv']);
    expect(readFileSync(join(target, 'predictions_batch_day.csv'), 'utf8').split('\n')).toHaveLength(302);
  });

  test('a file path in an existing folder is written as named', async () => {
    const w = workspace('output-file');
    const input = await batch(w, 'batch_day.csv');
    const r = cli('screen', ['--input', input, '--output', join(w.ws, 'today.csv'), '--config', w.config]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(w.ws, 'today.csv'))).toBe(true);
    expect(existsSync(join(w.ws, 'today_review.csv'))).toBe(true);
  });

  function refused(w: ReturnType<typeof workspace>, input: string, output: string) {
    const r = cli('screen', ['--input', input, '--output', output, '--config', w.config]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // One line, and no work done: no database, no output folder, nothing scored.
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(w.db)).toBe(false);
    expect(existsSync(w.out)).toBe(false);
    return r.stderr.trim();
  }

  test('a missing parent or a file where a directory is needed is refused before any work, with exit 2', async () => {
    const w = workspace('output-bad');
    const input = await batch(w, 'batch_day.csv');
    const file = join(w.ws, 'plain.txt');
    writeFileSync(file, 'x');
    expect(refused(w, input, join(w.ws, 'missing/out.csv'))).toBe(
      `--output ${join(w.ws, 'missing/out.csv')}: the folder ${join(w.ws, 'missing')} does not exist`,
    );
    expect(refused(w, input, join(w.ws, 'missing/'))).toBe(`--output ${join(w.ws, 'missing/')}: no such directory`);
    expect(refused(w, input, `${file}/`)).toBe(`--output ${file}/: is a file, not a directory`);
    expect(refused(w, input, join(file, 'out.csv'))).toBe(
      `--output ${join(file, 'out.csv')}: ${file} is a file, not a folder`,
    );
  });

  // Root writes anywhere regardless of mode bits, so the permission case only shows for other users.
  test.skipIf(process.getuid?.() === 0)('a folder without write permission is refused before any work', async () => {
    const w = workspace('output-ro');
    const input = await batch(w, 'batch_day.csv');
    const locked = join(w.ws, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    expect(refused(w, input, locked)).toBe(`--output ${locked}: the directory is not writable`);
    expect(refused(w, input, join(locked, 'out.csv'))).toBe(
      `--output ${join(locked, 'out.csv')}: the folder ${locked} is not writable`,
    );
  });
});
