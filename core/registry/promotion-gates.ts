import type { ModelMetadata } from './model-metadata';
import { compareVersions, isVersion } from './semver';

/**
 * The checks a model must pass before it becomes production, as pure functions of what the registry knows: the
 * candidate's own evaluation, production's version, and (once a shadow has scored labelled patients) both models'
 * recall on the same patients. A failed gate blocks the promotion unless it is overridable and an admin gives a
 * written reason; the results, figures included, go into the audit trail either way.
 */

/** Recall of production and of a shadow candidate on the same labelled patients, from shadow scoring. */
export type ShadowEvidence = { labelledPatients: number; productionRecall: number; candidateRecall: number } | null;

export type GateName = 'bundle' | 'version' | 'recall-target' | 'shadow-recall';
export type GateStatus = 'pass' | 'fail' | 'not-applicable';

export interface GateResult {
  gate: GateName;
  status: GateStatus;
  /** A failure an admin may accept with a written reason (never a broken bundle or a version already in use). */
  overridable: boolean;
  /** Names the gate and its figures, e.g. "recall-target: recall 0.812 on its held-out test set is below 0.85". */
  message: string;
}

/** What the candidate's bundle says about its evaluation: the held-out test recall, else the validation estimate. */
export interface CandidateEvaluation {
  recall: number | null;
  source: 'held-out test set' | 'validation estimate' | null;
}

export function evaluationOf(
  metadata: Pick<ModelMetadata, 'test_metrics' | 'validation_estimates'>,
): CandidateEvaluation {
  const test = metadata.test_metrics?.recall;
  if (typeof test === 'number' && Number.isFinite(test)) return { recall: test, source: 'held-out test set' };
  const validation = metadata.validation_estimates?.recall;
  if (typeof validation === 'number' && Number.isFinite(validation))
    return { recall: validation, source: 'validation estimate' };
  return { recall: null, source: null };
}

export interface GateInput {
  candidateVersion: string;
  /** Why the bundle cannot be used (a file changed, unreadable metadata), or null when it verified. */
  bundleProblem: string | null;
  evaluation: CandidateEvaluation;
  productionVersion: string | null;
  /** models.targetRecall. */
  targetRecall: number;
  shadow: ShadowEvidence;
  /** models.minShadowLabels: fewer labelled patients than this say too little to compare the two models. */
  minShadowLabels: number;
}

const f3 = (x: number) => x.toFixed(3);

function bundleGate(input: GateInput): GateResult {
  return input.bundleProblem === null
    ? { gate: 'bundle', status: 'pass', overridable: false, message: 'bundle: every file matches its sha256' }
    : { gate: 'bundle', status: 'fail', overridable: false, message: `bundle: ${input.bundleProblem}` };
}

function versionGate({ candidateVersion: v, productionVersion: p }: GateInput): GateResult {
  const result = (status: GateStatus, overridable: boolean, message: string): GateResult => ({
    gate: 'version',
    status,
    overridable,
    message: `version: ${message}`,
  });
  if (p === null) return result('pass', false, `${v} (no model in production)`);
  if (!isVersion(v) || !isVersion(p)) return result('fail', false, `${v} or ${p} is not a version v1.2.3`);
  const order = compareVersions(v, p);
  if (order > 0) return result('pass', false, `${v} is newer than production ${p}`);
  if (order === 0) return result('fail', false, `${v} is already the production version`);
  // Going back is what rollback is for; restoring an older archived model is an exception to be explained.
  return result(
    'fail',
    true,
    `${v} is older than production ${p} (roll back to the backup, or give a reason to restore an older version)`,
  );
}

function recallTargetGate({ evaluation, targetRecall }: GateInput): GateResult {
  const target = f3(targetRecall);
  if (evaluation.recall === null)
    return {
      gate: 'recall-target',
      status: 'fail',
      overridable: true,
      message: `recall-target: the bundle records no recall on its evaluation (target ${target})`,
    };
  const passes = evaluation.recall >= targetRecall;
  return {
    gate: 'recall-target',
    status: passes ? 'pass' : 'fail',
    overridable: true,
    message: `recall-target: recall ${f3(evaluation.recall)} on its ${evaluation.source} is ${passes ? 'at or above' : 'below'} the target ${target}`,
  };
}

function shadowGate({ shadow, minShadowLabels }: GateInput): GateResult {
  const result = (status: GateStatus, message: string): GateResult => ({
    gate: 'shadow-recall',
    status,
    overridable: true,
    message: `shadow-recall: ${message}`,
  });
  if (shadow === null) return result('not-applicable', 'no shadow evidence yet');
  if (shadow.labelledPatients < minShadowLabels)
    return result(
      'not-applicable',
      `only ${shadow.labelledPatients} labelled patients scored in shadow (at least ${minShadowLabels} needed to compare)`,
    );
  const figures = `recall ${f3(shadow.candidateRecall)} against production's ${f3(shadow.productionRecall)} on ${shadow.labelledPatients} labelled patients`;
  return shadow.candidateRecall >= shadow.productionRecall
    ? result('pass', figures)
    : result('fail', `${figures}: below production`);
}

export function evaluateGates(input: GateInput): GateResult[] {
  return [bundleGate(input), versionGate(input), recallTargetGate(input), shadowGate(input)];
}

export type GateDecision =
  | { allowed: true; overridden: GateResult[] }
  | { allowed: false; blocking: GateResult[]; needsReason: boolean };

/** Shorter reasons than this say nothing an auditor could follow. */
export const MIN_OVERRIDE_REASON = 10;

/**
 * Whether the promotion may go ahead: every gate passes, or every failed gate is overridable and a written reason
 * (at least MIN_OVERRIDE_REASON characters) is given.
 */
export function decide(results: GateResult[], overrideReason: string | null): GateDecision {
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length === 0) return { allowed: true, overridden: [] };
  const hard = failed.filter((r) => !r.overridable);
  if (hard.length > 0) return { allowed: false, blocking: hard, needsReason: false };
  if ((overrideReason?.trim().length ?? 0) >= MIN_OVERRIDE_REASON) return { allowed: true, overridden: failed };
  return { allowed: false, blocking: failed, needsReason: true };
}
