import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';

/**
 * The training tool the app runs retraining with, off the core process's thread: product code must not import
 * training/, and a run takes minutes that the app's one call queue must not wait for.
 *
 * Beside the Electron core process's bundle it is `retrain.cjs` (electron/build.ts), run in a worker thread of the
 * calling process: a packaged app's binary has the RunAsNode fuse off (electron/packaging/after-pack.cjs), so it
 * cannot run a script as a child, and a worker needs no second runtime. The tool and its fold worker stay inside
 * app.asar, under its integrity check, like the import workers: Electron's worker threads read the archive since
 * Electron 18 (electron/electron#33216). In a checkout it is `scripts/run-cli.cjs retrain` as a child process, which runs the CLI bundle
 * (dist/cli/) while it is fresh and the sources through tsx otherwise, in that same process (so a kill stops the run,
 * with no grandchild left behind); the checkout is found from GLUCOSCREEN_SOURCE_ROOT, else upwards from this module
 * and the working folder.
 */
export type RetrainTool =
  | { kind: 'worker'; script: string }
  | { kind: 'process'; root: string; command: string; args: string[] };

const BUNDLED_RETRAIN_TOOL = 'retrain.cjs';
const CLI_RUNNER = 'scripts/run-cli.cjs';

/** The tool for this installation: the bundle beside `bundleDir` (this module's folder), else a checkout's runner. */
export function locateRetrainTool(bundleDir: string = import.meta.dirname): RetrainTool | null {
  const bundled = join(bundleDir, BUNDLED_RETRAIN_TOOL);
  if (existsSync(bundled)) return { kind: 'worker', script: bundled };
  const starts = [process.env.GLUCOSCREEN_SOURCE_ROOT, bundleDir, process.cwd()].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  for (const start of starts) {
    let dir = resolve(start);
    for (let depth = 0; depth < 6; depth++) {
      if (existsSync(join(dir, CLI_RUNNER)) && existsSync(join(dir, 'training/cli/retrain.ts'))) {
        return { kind: 'process', root: dir, command: process.execPath, args: [join(dir, CLI_RUNNER), 'retrain'] };
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return null;
}

export const RETRAIN_TOOL_MISSING =
  'The training tool is not part of this installation: retraining runs where it is installed (npm run retrain on the clinic server).';

/** One JSON line of the tool's `--progress json` output. */
export type ToolMessage = { type: string } & Record<string, unknown>;

export interface RunningTool {
  /** Stops the run; the caller cleans up what the tool leaves (its staging folder, its run record). */
  cancel(): void;
  /** Settles once the tool has ended and all its output was read, with its exit code (null: killed by a signal). */
  exited: Promise<number | null>;
  /** The last lines of its stderr, for a failure's message. */
  stderrTail(): string;
}

/** How long a cancelled child process may take to stop on SIGTERM before it is killed outright. */
const KILL_GRACE_MS = 3000;
const STDERR_LINES = 20;
/** How long after a worker's exit its stdout lines may still be in flight. */
const PORT_CLOSE_GRACE_MS = 1000;

/** Starts the tool with `args`; each JSON line on its stdout goes to `onMessage`. */
export function startRetrainTool(
  tool: RetrainTool,
  args: string[],
  onMessage: (message: ToolMessage) => void,
): RunningTool {
  return tool.kind === 'worker' ? startInWorker(tool.script, args, onMessage) : startAsChild(tool, args, onMessage);
}

function startAsChild(
  tool: Extract<RetrainTool, { kind: 'process' }>,
  args: string[],
  onMessage: (message: ToolMessage) => void,
): RunningTool {
  const child: ChildProcess = spawn(tool.command, [...tool.args, ...args], {
    cwd: tool.root,
    // When the core process is Electron's (an unpackaged build), its binary runs as plain Node for this child.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = readOutput(child.stdout as Readable, child.stderr as Readable, onMessage);
  const ended = new Promise<number | null>((resolveExit) => {
    child.once('error', (error) => {
      output.note(error.message);
      resolveExit(-1);
    });
    child.once('exit', (code) => resolveExit(code));
  });
  return {
    cancel: () => {
      // The tool removes its staging folder and closes its run on SIGTERM; SIGKILL if it does not stop.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      void ended.then(() => clearTimeout(timer));
    },
    exited: afterOutput(ended, output.read),
    stderrTail: output.tail,
  };
}

/**
 * Runs the tool's script with its stdout writes posted on a message port. A worker's own process.stdout sends one
 * chunk and holds the rest until the worker's event loop turns, which a training loop rarely lets it do: the progress
 * would arrive in one burst at the end. A port delivers each line as it is written.
 */
const WORKER_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const { port, script } = workerData;
process.stdout.write = (chunk, encoding, callback) => {
  port.postMessage(String(chunk));
  const written = typeof encoding === 'function' ? encoding : callback;
  if (typeof written === 'function') process.nextTick(written);
  return true;
};
require(script);
`;

function startInWorker(script: string, args: string[], onMessage: (message: ToolMessage) => void): RunningTool {
  const { port1: stdoutLines, port2 } = new MessageChannel();
  // stdout/stderr: true keeps the tool's other output off the core process's own streams, readable here instead.
  const worker = new Worker(WORKER_BOOTSTRAP, {
    eval: true,
    argv: args,
    stdout: true,
    stderr: true,
    env: { ...process.env },
    workerData: { port: port2, script },
    transferList: [port2],
  });
  worker.stdout.resume();
  const output = readOutput(portLines(stdoutLines), worker.stderr, onMessage);
  const ended = new Promise<number | null>((resolveExit) => {
    // An uncaught error ends the worker with code 1 after this event; its message is the failure's.
    worker.on('error', (error) => output.note(`retrain failed: ${error.message}`));
    worker.once('exit', (code) => {
      // Normally the worker's end of the port closes with it; a worker stopped before it started may not close it.
      setTimeout(() => stdoutLines.close(), PORT_CLOSE_GRACE_MS).unref();
      resolveExit(code);
    });
  });
  return {
    // Terminating stops the tool's thread and its fold workers at once; no signal handler runs in a worker, so the
    // caller removes the staging folder and closes the run.
    cancel: () => void worker.terminate(),
    exited: afterOutput(ended, output.read),
    stderrTail: output.tail,
  };
}

/** What the worker posts on `port`, as a stream that ends when the worker's end closes the port. */
function portLines(port: MessagePort): Readable {
  const stream = new PassThrough();
  port.on('message', (text: string) => stream.write(text));
  port.once('close', () => stream.end());
  return stream;
}

/** Feeds stdout's JSON lines to `onMessage` and keeps stderr's last lines; `read` settles when both streams ended. */
function readOutput(stdout: Readable, stderr: Readable, onMessage: (message: ToolMessage) => void) {
  const tail: string[] = [];
  const note = (line: string) => {
    tail.push(line);
    if (tail.length > STDERR_LINES) tail.shift();
  };
  const lines = (input: Readable, onLine: (line: string) => void) =>
    new Promise<void>((done) => createInterface({ input }).on('line', onLine).once('close', done));
  const read = Promise.all([
    lines(stdout, (line) => {
      try {
        const message = JSON.parse(line) as ToolMessage;
        if (message && typeof message.type === 'string') onMessage(message);
      } catch {
        // Not one of the tool's messages (a library's stray output): ignored.
      }
    }),
    lines(stderr, note),
  ]);
  return { read, note, tail: () => tail.join('\n') };
}

/** The exit code once the tool's last output line was handled too, so a `done` line is never missed. */
async function afterOutput(ended: Promise<number | null>, read: Promise<unknown>): Promise<number | null> {
  const code = await ended;
  await read;
  return code;
}
