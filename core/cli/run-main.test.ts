import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';

const RUN_MAIN = pathToFileURL(resolve(import.meta.dirname, 'run-main.ts')).href;

/** A child process that writes `bytes` to its stdout (a pipe read by this process), maybe holds a timer open, then ends. */
function child(bytes: number, holdTimer: boolean) {
  const code = `const { endProcess } = await import(${JSON.stringify(RUN_MAIN)});
process.on('exit', () => process.stderr.write('exit handler ran'));
process.stdout.write('x'.repeat(${bytes}));
${holdTimer ? 'setInterval(() => {}, 1000);' : ''}
endProcess(3);`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30_000,
  });
}

test('endProcess exits at once, with the code and the exit handlers, once the output is with the OS', () => {
  // The timer would keep a process that waits for its event loop alive until the timeout.
  const r = child(1000, true);
  expect(r.status).toBe(3);
  expect(r.stdout).toBe('x'.repeat(1000));
  expect(r.stderr).toBe('exit handler ran');
});

test('output still queued (more than a pipe holds) is all delivered before the process ends', () => {
  const r = child(8 * 1024 * 1024, false);
  expect(r.status).toBe(3);
  expect(r.stdout.length).toBe(8 * 1024 * 1024);
  expect(r.stderr).toBe('exit handler ran');
});
