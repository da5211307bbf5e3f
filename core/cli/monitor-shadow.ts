import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { shadowStatus } from '../monitoring/shadow-report';
import { shadowStatusLines } from '../monitoring/shadow-text';
import { assignShadow, clearShadow, ShadowAssignmentError } from '../registry/shadow-assignment';
import { type CliContext, EXIT_CODES } from './cli-context';

/**
 * `monitor --set-shadow V | --clear-shadow` (audited as the config's actor) and `monitor --shadow`: the comparison
 * of the shadow's scores with production's. A refused assignment exits 2 with the reason.
 */
export async function shadowCommand(
  ctx: CliContext,
  args: { 'set-shadow'?: string; 'clear-shadow'?: boolean; 'shadow-version'?: string; json?: string },
): Promise<number> {
  const actor = ctx.config.screening.actor;
  const modelsRoot = dirname(resolve(ctx.config.paths.modelDir));
  if (args['set-shadow'] !== undefined) {
    try {
      const { assignment, previous } = await assignShadow(ctx.store, modelsRoot, args['set-shadow'], actor);
      ctx.out(
        `shadow: ${assignment.modelVersion} (${assignment.modelId}) now scores every batch beside production` +
          (previous ? `; it replaces ${previous.modelVersion}` : ''),
      );
    } catch (error) {
      if (error instanceof ShadowAssignmentError) {
        ctx.log.error(`not put in shadow: ${error.message}`);
        return EXIT_CODES.error;
      }
      throw error;
    }
  }
  if (args['clear-shadow']) {
    const cleared = clearShadow(ctx.store, actor);
    ctx.out(cleared ? `shadow: ${cleared.modelVersion} no longer scores batches` : 'shadow: none was assigned');
  }
  const status = shadowStatus(ctx.store, args['shadow-version']);
  if (args['shadow-version'] && !status.comparison) {
    ctx.log.error(`version ${args['shadow-version']} has no shadow scores`);
    return EXIT_CODES.error;
  }
  if (args.json) writeFileSync(args.json, `${JSON.stringify(status, null, 2)}\n`);
  for (const line of shadowStatusLines(status)) ctx.out(line);
  return EXIT_CODES.done;
}
