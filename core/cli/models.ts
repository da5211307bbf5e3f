/**
 * npm run models -- list | show V | promote V [--reason TEXT] | approve ID | reject ID [--reason TEXT] | rollback
 *                   | archive V | export V FILE | import FILE   [--config C] [--db DB] [--model-dir DIR]
 * The model registry for a clinic server, on the same database, models folder and audit key as `screen` and the app,
 * through the same registry service as the app's Models view. V is a version (v1.4.0) or a folder id
 * (experiments/model_20260101_120000). The actor in the audit log is `<screening.actor>:<OS user>`.
 * Exit codes: 0 done (a promotion may be pending a second admin), 1 refused (a gate, a changed file), 2 error.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname } from 'node:path';
import { createShadowEvidenceFor } from '../monitoring/shadow-evidence';
import type { InstalledVersion } from '../registry/installed-versions';
import { evaluationOf, type GateResult } from '../registry/promotion-gates';
import {
  archivable,
  createRegistryService,
  promotable,
  RegistryError,
  type RegistryService,
  restorable,
} from '../registry/registry-service';
import { type CliContext, CliUsageError, EXIT_CODES, openCliContext, parseCliCommand, runCli } from './cli-context';
import { runMain } from './run-main';

const USAGE = [
  'usage: npm run models -- <command> [--config CONFIG.json] [--db DB] [--model-dir DIR]',
  '  list                       installed versions, their evaluation recall, the actions each allows, pending requests',
  '  show V                     one version: its evaluation and the promotion gates it meets now',
  '  promote V [--reason TEXT]  promote V (TEXT overrides failed gates that allow it; audited)',
  '  approve ID | reject ID [--reason TEXT]   decide a pending promotion (two-person rule)',
  '  rollback                   swap production and its backup',
  '  archive V                  move an experiment to the archive',
  '  export V FILE              write V as one file with its sha256 manifest',
  '  import FILE                install an exported bundle under experiments/ when every hash matches',
].join('\n');

const OPERANDS: Record<string, number> = {
  list: 0,
  show: 1,
  promote: 1,
  approve: 1,
  reject: 1,
  rollback: 0,
  archive: 1,
  export: 2,
  import: 1,
};

function gateLines(results: GateResult[]): string[] {
  const mark = { pass: 'ok  ', fail: 'FAIL', 'not-applicable': '--  ' } as const;
  return results.map((r) => `  ${mark[r.status]} ${r.message}`);
}

function actionsOf(v: InstalledVersion, production: string | null): string {
  const actions = [
    promotable(v, production) && 'promote',
    restorable(v, production) && 'restore (needs --reason)',
    v.location === 'production_backup' && 'rollback',
    archivable(v) && 'archive',
    'export',
  ];
  return actions.filter(Boolean).join(', ');
}

function requestId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1) throw new CliUsageError(`"${text}" is not a promotion request id`);
  return id;
}

async function run(
  service: RegistryService,
  command: string,
  operands: string[],
  reason: string | null,
  actor: string,
  out: (line: string) => void,
) {
  switch (command) {
    case 'list': {
      const production = service.productionVersion();
      for (const v of service.list()) {
        const evaluation = v.metadata ? evaluationOf(v.metadata) : null;
        const recall =
          evaluation?.recall === null || !evaluation ? 'recall n/a' : `recall ${evaluation.recall.toFixed(3)}`;
        out(
          `${(v.metadata?.version ?? '?').padEnd(9)} ${v.id.padEnd(40)} ${recall.padEnd(13)} ${v.problem ?? actionsOf(v, production)}`,
        );
      }
      for (const r of service.pendingRequests())
        out(
          `pending request ${r.id}: ${r.version} (${r.modelId}) by ${r.requestedBy} at ${r.requestedAt}${r.overrideReason ? `, override: ${r.overrideReason}` : ''}`,
        );
      return EXIT_CODES.done;
    }
    case 'show': {
      const v = service.find(operands[0]);
      out(`${v.metadata?.version ?? '?'} in ${v.id}`);
      if (v.metadata) {
        const evaluation = evaluationOf(v.metadata);
        out(`  trained ${v.metadata.training_date}, threshold ${v.metadata.optimal_threshold.toFixed(3)}`);
        out(`  recall ${evaluation.recall?.toFixed(3) ?? 'n/a'} on its ${evaluation.source ?? 'evaluation'}`);
      }
      if (v.location !== 'production' && v.location !== 'production_backup') {
        out('promotion gates:');
        for (const line of gateLines((await service.gates(v.id)).results)) out(line);
      }
      return EXIT_CODES.done;
    }
    case 'promote': {
      const report = await service.gates(operands[0], reason);
      for (const line of gateLines(report.results)) out(line);
      const outcome = await service.promote(operands[0], actor, reason);
      if (outcome.outcome === 'pending')
        out(
          `promotion of ${outcome.request.version} requested (request ${outcome.request.id}); another admin must approve it`,
        );
      else out(`${outcome.version} is in production (was ${outcome.previous ?? 'none'})`);
      return EXIT_CODES.done;
    }
    case 'approve': {
      const outcome = await service.approve(requestId(operands[0]), actor);
      out(`${outcome.version} is in production (was ${outcome.previous ?? 'none'})`);
      return EXIT_CODES.done;
    }
    case 'reject': {
      const decided = service.reject(requestId(operands[0]), actor, reason);
      out(`request ${decided.id} (${decided.version}) rejected`);
      return EXIT_CODES.done;
    }
    case 'rollback': {
      const { version, previous } = await service.rollback(actor);
      out(`rolled back: ${version} is in production (was ${previous ?? 'none'})`);
      return EXIT_CODES.done;
    }
    case 'archive': {
      const { from, to } = service.archive(operands[0], actor);
      out(`${from} archived as ${to}`);
      return EXIT_CODES.done;
    }
    case 'export': {
      const file = operands[1];
      const exported = await service.exportModel(operands[0], actor);
      // Written beside its final name and renamed, so a reader never sees half a file.
      const temp = `${file}.tmp-${process.pid}`;
      writeFileSync(temp, exported.text);
      renameSync(temp, file);
      out(`${exported.version} exported to ${file}`);
      return EXIT_CODES.done;
    }
    default: {
      const file = operands[0];
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliUsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      const { version, id } = await service.importModel(basename(file), text, actor);
      out(`${version} imported as ${id}`);
      return EXIT_CODES.done;
    }
  }
}

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  let ctx: CliContext | null = null;
  return runCli(
    USAGE,
    async () => {
      const { values: args, positionals } = parseCliCommand(argv, { reason: { type: 'string' } });
      if (args.help) {
        out(USAGE);
        return EXIT_CODES.done;
      }
      const [command, ...operands] = positionals;
      if (!command) throw new CliUsageError('a command is required');
      if (!(command in OPERANDS)) throw new CliUsageError(`unknown command "${command}"`);
      if (operands.length !== OPERANDS[command])
        throw new CliUsageError(`${command} takes ${OPERANDS[command]} operand(s), got ${operands.length}`);
      ctx = openCliContext(args, out);
      const service = createRegistryService({
        modelsRoot: dirname(ctx.config.paths.modelDir),
        store: ctx.store,
        policy: ctx.config.models,
        shadowEvidenceFor: createShadowEvidenceFor(ctx.store),
      });
      const actor = `${ctx.config.screening.actor}:${userInfo().username}`;
      try {
        return await run(service, command, operands, args.reason?.trim() || null, actor, out);
      } catch (error) {
        if (!(error instanceof RegistryError)) throw error;
        process.stderr.write(`${error.message}\n`);
        return error.code === 'conflict' ? EXIT_CODES.flagged : EXIT_CODES.error;
      }
    },
    () => (ctx as CliContext | null)?.store.close(),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) runMain('models', () => main(process.argv.slice(2)));
