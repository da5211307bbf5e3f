/**
 * Runs a command-line entry point: what `main` resolves to is the exit code (0 when nothing), and a thrown error
 * is one line on stderr, "<name> failed: <message>", with exit code 1. Sets process.exitCode rather than calling
 * process.exit, so pending output is still flushed.
 */
export function runMain(name: string, main: () => Promise<unknown>): void {
  main().then(
    (code) => {
      process.exitCode = typeof code === 'number' ? code : 0;
    },
    (error) => {
      process.stderr.write(`${name} failed: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * Ends a CLI process whose work is all done (threads stopped, files and database closed) with `code`: at once when
 * everything written to stdout and stderr is with the OS, since an exit that waits for the event loop to empty
 * first tears down the whole JavaScript heap, tens of milliseconds a run; otherwise it sets the exit code and lets
 * the pending output flush. Exit handlers still run either way.
 */
export function endProcess(code: number): void {
  process.exitCode = code;
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
}
