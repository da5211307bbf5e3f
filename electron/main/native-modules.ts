/**
 * Lets the core process load better-sqlite3 built for Electron's ABI from a separate folder
 * (GLUCOSCREEN_NATIVE_MODULES, prepared by scripts/start.ts), so node_modules keeps the Node build the tests use:
 * `npm start` and `npm test` then work one after the other, in either order. Imported first by core-process.ts.
 */
import Module from 'node:module';
import { join } from 'node:path';

const dir = process.env.GLUCOSCREEN_NATIVE_MODULES;
const NATIVE = new Set(['better-sqlite3']);

if (dir) {
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = loader._resolveFilename;
  loader._resolveFilename = function resolveNative(request: string, ...rest: unknown[]) {
    return original.call(this, NATIVE.has(request) ? join(dir, request) : request, ...rest);
  };
}
