import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'core/**/*.test.ts',
      'training/**/*.test.ts',
      'electron/**/*.test.ts',
      'scripts/**/*.test.ts',
      // The renderer's pure helpers (formatting, progress); its views are checked end to end.
      'renderer/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests (and the CLIs they start) key audit chains with a scratch key file, never the user's own.
    env: { GLUCOSCREEN_AUDIT_KEY_FILE: join(tmpdir(), `glucoscreen-test-keys-${process.pid}`, 'audit.key') },
  },
});
