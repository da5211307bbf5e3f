import { readFile } from 'node:fs/promises';
import { extname, normalize, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, RENDERER_CONTENT_TYPES as CONTENT_TYPES } from '../../core/host/renderer-assets';
import { APP_HOST, APP_SCHEME } from './window-security';

/** The file an app:// URL names inside the renderer folder, or null (other host, or a path escaping the folder). */
export function resolveAppPath(url: string, rendererDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  const root = resolve(rendererDir);
  const relative = normalize(decodeURIComponent(parsed.pathname)).replace(/^([/\\])+/, '');
  const file = resolve(root, relative === '' ? 'index.html' : relative);
  return file.startsWith(root + sep) ? file : null;
}

/** Serves the built renderer under app://glucoscreen/ instead of file://, with the CSP as a header. */
export function serveAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppPath(request.url, rendererDir);
    if (!file) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
