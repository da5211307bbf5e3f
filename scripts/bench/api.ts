/**
 * npm run bench:api -- [--runs 3] [--patients 10000] [--baseline DIR]
 * The local scoring API as `npm run serve` runs it (a separate process, production model, drift detection on):
 * per run, a fresh workspace, a client key made with the CLI, the service started, then ONE request of --patients
 * patients (Pima rows with their own ids) timed from sending to the last byte of the JSON answer. Prints each run,
 * the median, and the service's peak RSS (VmHWM) after the request. With --baseline, another checkout's service
 * (e.g. the main branch's) is run the same way, alternating with this one run by run, and both are printed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FEATURE_COLUMNS } from '../../core/schema/columns';
import { loadPimaColumns } from '../../core/testing/pima';
import { median } from '../../core/util/median';

const ROOT = resolve(import.meta.dirname, '../..');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    patients: { type: 'string', default: '10000' },
    baseline: { type: 'string' },
  },
});
const runs = Number(values.runs);
const count = Number(values.patients);

function requestBody(): string {
  const pima = loadPimaColumns();
  const n = pima.outcome.length;
  const patients = Array.from({ length: count }, (_, i) => {
    const p: Record<string, string | number> = { patient_id: `B${i}` };
    for (const c of FEATURE_COLUMNS) p[c] = pima.raw[c][i % n];
    return p;
  });
  return JSON.stringify({ patients });
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (m) done(m[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
  });
}

/** user + system CPU of the service (all its threads), in ms: what a busy machine's wall time hides. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

interface Sample {
  ms: number;
  cpuMs: number;
  rssMb: number;
  startMs: number;
}

async function oneRun(body: string, root: string): Promise<Sample> {
  const tsx = join(root, 'node_modules/.bin/tsx');
  const serve = join(root, 'core/cli/serve.ts');
  const dir = mkdtempSync(join(tmpdir(), 'bench-api-'));
  try {
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        paths: {
          dbPath: 'g.db',
          outputDir: 'out',
          rejectedDir: 'rejected',
          modelDir: join(root, 'models/production'),
          auditKeyFile: 'audit.key',
        },
        logLevel: 'warn',
      }),
    );
    const made = spawnSync(tsx, [serve, '--config', config, '--create-client', 'bench'], {
      encoding: 'utf8',
      cwd: root,
    });
    if (made.status !== 0) throw new Error(made.stderr);
    const key = made.stdout.trim().split('\n').at(-1) as string;
    const t0 = performance.now();
    // tsx starts node as a child of its own: the service's RSS is that process's.
    const child = spawn(process.execPath, ['--import', 'tsx', serve, '--config', config, '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await waitForUrl(child);
      const startMs = performance.now() - t0;
      const cpu0 = cpuMs(child.pid as number);
      const t = performance.now();
      const res = await fetch(new URL('/v1/score', url), {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      });
      const answer = (await res.json()) as { scored: number };
      const ms = performance.now() - t;
      if (res.status !== 200 || answer.scored !== count)
        throw new Error(`status ${res.status}, scored ${answer.scored}`);
      return { ms, cpuMs: cpuMs(child.pid as number) - cpu0, rssMb: peakRssMb(child.pid as number), startMs };
    } finally {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const body = requestBody();
const sides = [{ name: 'this checkout', root: ROOT, samples: [] as Sample[] }];
if (values.baseline) sides.push({ name: `baseline ${values.baseline}`, root: resolve(values.baseline), samples: [] });
const loads: number[] = [];
for (let r = 0; r < runs; r++) {
  for (const side of sides) {
    const s = await oneRun(body, side.root);
    side.samples.push(s);
    loads.push(loadavg()[0]);
    console.log(
      `${side.name}, run ${r + 1}: ${count} patients scored in ${s.ms.toFixed(0)} ms wall, ${s.cpuMs.toFixed(0)} ms CPU (service start-up ${s.startMs.toFixed(0)} ms, peak RSS ${s.rssMb.toFixed(0)} MB, load average ${loadavg()[0].toFixed(1)})`,
    );
  }
}
for (const { name, samples } of sides) {
  console.log(
    `${name}: median ${median(samples.map((s) => s.ms)).toFixed(0)} ms wall, ${median(samples.map((s) => s.cpuMs)).toFixed(0)} ms CPU for ${count} patients in one request (${(body.length / 2 ** 20).toFixed(1)} MB JSON); start-up ${median(samples.map((s) => s.startMs)).toFixed(0)} ms; peak RSS ${Math.max(...samples.map((s) => s.rssMb)).toFixed(0)} MB`,
  );
}
console.log(
  `load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} on ${availableParallelism()} cores`,
);
