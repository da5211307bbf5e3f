/**
 * The app over HTTP instead of IPC: serves the built renderer and speaks the same contract as the preload bridge,
 * backed by the same app. `npm start` uses it on machines without an Electron binary (with the real data folder),
 * and the Playwright specs through e2e/support/test-host.ts (with a temp data folder). Node only: no Electron, no DOM.
 *
 * Bound to 127.0.0.1 on a random port. Every API call needs the per-run token (header, or query for the event
 * stream), and a Host header naming this very address (so a DNS-rebinding page cannot talk to it).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { HTTP_CALL_PREFIX, HTTP_EVENTS_PATH, HTTP_TOKEN_HEADER } from '../api/bridge';
import type { EventMessage } from '../api/screening-api';
import type { GlucoscreenApp } from '../app/app';
import type { CallContext } from '../app/dispatch';
import { CONTENT_SECURITY_POLICY, RENDERER_CONTENT_TYPES } from './renderer-assets';

export const RENDERER_DIR = resolve(import.meta.dirname, '../../dist/renderer');

/** JSON bodies above this are refused; the contract caps an import at 100 M characters. */
const MAX_BODY_BYTES = 220 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = { ...RENDERER_CONTENT_TYPES, '.json': 'application/json' };

interface HttpHost {
  url: string;
  /** The URL with the token, to open in a browser. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpHost(options: {
  app: GlucoscreenApp;
  staticDir?: string;
  port?: number;
  token?: string;
}): Promise<HttpHost> {
  const staticDir = resolve(options.staticDir ?? RENDERER_DIR);
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const session = options.app.newSession();
  const streams = new Set<ServerResponse>();
  let port = 0;

  const emit: CallContext['emit'] = (event, payload) => {
    const message: EventMessage = { event, payload };
    const data = `data: ${JSON.stringify(message)}\n\n`;
    for (const stream of streams) stream.write(data);
  };
  const ctx: CallContext = { session, emit };

  const tokenOk = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };

  const server: Server = createServer((req, res) => {
    void route(req, res).catch((error) => {
      console.error('[http-host]', error);
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error');
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      send(res, 421, 'text/plain', 'wrong host');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname.startsWith(HTTP_CALL_PREFIX)) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only');
      if (!tokenOk(req.headers[HTTP_TOKEN_HEADER] as string | undefined)) return send(res, 401, 'text/plain', 'token');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 415, 'text/plain', 'JSON only');
      }
      const body = await readBody(req);
      if (body === null) return send(res, 413, 'text/plain', 'too large');
      let arg: unknown;
      try {
        arg = JSON.parse(body);
      } catch {
        return sendJson(res, { ok: false, error: { code: 'invalid-argument', message: 'The body is not JSON.' } });
      }
      const method = decodeURIComponent(url.pathname.slice(HTTP_CALL_PREFIX.length));
      return sendJson(res, await options.app.call(method, arg, ctx));
    }
    if (url.pathname === HTTP_EVENTS_PATH) {
      if (!tokenOk(url.searchParams.get('token'))) return send(res, 401, 'text/plain', 'token');
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'GET only');
    return serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    const file = resolve(staticDir, relative === '' ? 'index.html' : relative);
    if (file !== staticDir && !file.startsWith(staticDir + sep)) {
      send(res, 404, 'text/plain', 'not found');
      return;
    }
    let target = file;
    try {
      if (statSync(target).isDirectory()) target = join(target, 'index.html');
      const bytes = readFileSync(target);
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(bytes);
    } catch {
      send(res, 404, 'text/plain', 'not found');
    }
  }

  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, '127.0.0.1', resolveListen));
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((done) => {
        for (const stream of streams) stream.end();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
