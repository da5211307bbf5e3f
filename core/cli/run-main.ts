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
