/**
 * Run before `playwright test`: makes sure a Chromium is there for the end-to-end specs, so `npm ci && npm test`
 * works on a fresh machine. Looks for GLUCOSCREEN_CHROMIUM, then Debian's /usr/bin/chromium, then a browser
 * Playwright downloaded before; when none is present, installs Debian's package (root with apt-get) or else
 * Playwright's own build, and says so. Fails with one clear message only when neither can work.
 *
 *   tsx scripts/ensure-browser.ts [--dry-run] [--prefix DIR]
 * --dry-run prints what it would run instead of running it; --prefix looks for the browser under DIR (an empty
 * folder shows the "none present" branch without removing the machine's browser).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArgs } from 'node:util';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export interface BrowserProbe {
  env: Record<string, string | undefined>;
  /** Root under which to look for the browser ('' for the real one); tools are looked up on env.PATH as it is. */
  prefix: string;
  isRoot: boolean;
  exists: (path: string) => boolean;
  /** Playwright's own downloaded Chromium, whether or not it is there (null when Playwright cannot say). */
  playwrightChromium: string | null;
}

export type BrowserPlan =
  | { kind: 'found'; path: string; source: 'GLUCOSCREEN_CHROMIUM' | 'system' | 'playwright' }
  | { kind: 'install'; via: 'apt' | 'playwright'; commands: string[][]; why: string }
  | { kind: 'none'; message: string };

function onPath(probe: BrowserProbe, name: string): string | null {
  for (const dir of (probe.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    // Windows names its npm shims npx.cmd.
    for (const file of [name, `${name}.cmd`, `${name}.exe`]) {
      const candidate = join(dir, file);
      if (probe.exists(candidate)) return candidate;
    }
  }
  return null;
}

/** The browser the e2e stage uses, when one is present; GLUCOSCREEN_CHROMIUM wins even when it is missing. */
export function findBrowser(probe: BrowserProbe): (BrowserPlan & { kind: 'found' }) | null {
  const wanted = probe.env.GLUCOSCREEN_CHROMIUM;
  if (wanted) return probe.exists(wanted) ? { kind: 'found', path: wanted, source: 'GLUCOSCREEN_CHROMIUM' } : null;
  const system = join(probe.prefix, SYSTEM_CHROMIUM);
  if (probe.exists(system)) return { kind: 'found', path: system, source: 'system' };
  const own = probe.playwrightChromium;
  if (own && probe.exists(own)) return { kind: 'found', path: own, source: 'playwright' };
  return null;
}

/** What to do for a browser: use the one found, install one by the means this machine offers, or give up clearly. */
export function planBrowser(probe: BrowserProbe): BrowserPlan {
  const found = findBrowser(probe);
  if (found) return found;
  if (probe.env.GLUCOSCREEN_CHROMIUM) {
    return {
      kind: 'none',
      message: `GLUCOSCREEN_CHROMIUM is ${probe.env.GLUCOSCREEN_CHROMIUM}, which does not exist; point it at a Chromium or unset it.`,
    };
  }
  if (probe.isRoot && onPath(probe, 'apt-get')) {
    return {
      kind: 'install',
      via: 'apt',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', 'chromium'],
      ],
      why: `no Chromium at ${SYSTEM_CHROMIUM}: installing Debian's chromium package`,
    };
  }
  const offline = probe.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD === '1' || probe.env.GLUCOSCREEN_OFFLINE === '1';
  if (!offline && onPath(probe, 'npx')) {
    return {
      kind: 'install',
      via: 'playwright',
      commands: [['npx', 'playwright', 'install', 'chromium']],
      why: `no Chromium at ${SYSTEM_CHROMIUM} and no apt-get as root: downloading Playwright's Chromium`,
    };
  }
  return {
    kind: 'none',
    message:
      `no Chromium for the end-to-end tests: none at ${SYSTEM_CHROMIUM}, ` +
      `${probe.isRoot ? 'no apt-get on PATH' : 'not root, so no apt-get install'}, and ` +
      `${offline ? 'browser downloads are off (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD / GLUCOSCREEN_OFFLINE)' : 'no npx on PATH'}. ` +
      'Install one (Debian: apt-get install -y chromium) or set GLUCOSCREEN_CHROMIUM to its path.',
  };
}

/** Playwright's own Chromium path (it need not be downloaded); null when Playwright is not installed. */
export async function playwrightChromiumPath(): Promise<string | null> {
  try {
    const { chromium } = await import('@playwright/test');
    return chromium.executablePath();
  } catch {
    return null;
  }
}

export async function realProbe(prefix = ''): Promise<BrowserProbe> {
  return {
    env: process.env,
    prefix,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    exists: existsSync,
    // Under a test prefix, Playwright's real download folder is not part of the picture.
    playwrightChromium: prefix ? null : await playwrightChromiumPath(),
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'dry-run': { type: 'boolean', default: false }, prefix: { type: 'string', default: '' } },
  });
  const probe = await realProbe(values.prefix);
  const plan = planBrowser(probe);
  const say = (line: string) => process.stdout.write(`[browser] ${line}\n`);
  if (plan.kind === 'found') {
    say(`using ${plan.path} (${plan.source})`);
    return 0;
  }
  if (plan.kind === 'none') {
    process.stderr.write(`[browser] ${plan.message}\n`);
    return 1;
  }
  say(plan.why);
  for (const command of plan.commands) {
    say(`${values['dry-run'] ? 'would run' : 'running'}: ${command.join(' ')}`);
    if (values['dry-run']) continue;
    const env = plan.via === 'apt' ? { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } : process.env;
    const r = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env, shell: process.platform === 'win32' });
    if (r.status !== 0) {
      process.stderr.write(
        `[browser] "${command.join(' ')}" failed (${r.error?.message ?? `exit ${r.status}`}); ` +
          'install a Chromium by hand (Debian: apt-get install -y chromium) or set GLUCOSCREEN_CHROMIUM.\n',
      );
      return 1;
    }
  }
  if (values['dry-run']) return 0;
  const after = findBrowser(await realProbe(values.prefix));
  if (!after) {
    process.stderr.write(`[browser] the ${plan.via} install finished but no Chromium is where it should be.\n`);
    return 1;
  }
  say(`installed: ${after.path}`);
  return 0;
}

if (process.argv[1]?.endsWith('ensure-browser.ts')) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
