import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The training tool the app runs retraining with, as a child process: product code must not import training/, and
 * a run takes minutes that the app's one call queue must not wait for. Beside the Electron core process's bundle it is
 * `retrain.cjs` (electron/build.ts), run by Electron's binary as plain Node, which only an unpackaged build allows; in
 * a checkout, `scripts/run-cli.mjs retrain`, which runs the CLI bundle (dist/cli/) while it is fresh and the sources
 * through tsx otherwise, in that same process (so a kill stops the run, with no grandchild left behind). The
 * checkout is found from GLUCOSCREEN_SOURCE_ROOT, else upwards from this module and the working folder.
 */
export interface RetrainTool {
  root: string;
  command: string;
  args: string[];
}

const BUNDLED_TOOL = 'retrain.cjs';
const CLI_RUNNER = 'scripts/run-cli.mjs';

export function locateRetrainTool(): RetrainTool | null {
  const bundled = join(import.meta.dirname, BUNDLED_TOOL);
  // Not from a packaged app: its binary has the RunAsNode fuse off (electron/packaging/after-pack.cjs), so it would
  // start a second app instead of running the tool. There the tool is missing until main forks it as a utility process.
  if (existsSync(bundled) && !import.meta.dirname.includes('app.asar')) {
    return { root: import.meta.dirname, command: process.execPath, args: [bundled] };
  }
  const starts = [process.env.GLUCOSCREEN_SOURCE_ROOT, import.meta.dirname, process.cwd()].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  for (const start of starts) {
    let dir = resolve(start);
    for (let depth = 0; depth < 6; depth++) {
      if (existsSync(join(dir, CLI_RUNNER)) && existsSync(join(dir, 'training/cli/retrain.ts'))) {
        return { root: dir, command: process.execPath, args: [join(dir, CLI_RUNNER), 'retrain'] };
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
  child: ChildProcess;
  /** Settles when the process has exited, with its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts the tool; each JSON line on its stdout goes to `onMessage`, stderr is kept (last lines) for a failure. */
export function startRetrainTool(
  tool: RetrainTool,
  args: string[],
  onMessage: (message: ToolMessage) => void,
): RunningTool & { stderrTail: () => string } {
  // Electron's binary runs as plain Node for this child.
  const child = spawn(tool.command, [...tool.args, ...args], {
    cwd: tool.root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      const message = JSON.parse(line) as ToolMessage;
      if (message && typeof message.type === 'string') onMessage(message);
    } catch {
      // Not one of the tool's messages (a library's stray output): ignored.
    }
  });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
  });
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('error', () => resolveExit(-1));
    child.once('exit', (code) => resolveExit(code));
  });
  return { child, exited, stderrTail: () => tail.join('\n') };
}
