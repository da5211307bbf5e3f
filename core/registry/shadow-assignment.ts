import type { ShadowAssignment } from '../store/shadow-repository';
import type { Store } from '../store/store';
import { BundleError, loadBundle } from './bundle';
import { type InstalledVersion, listInstalledVersions } from './installed-versions';

/** Why a candidate cannot be put in shadow; the message names the bundle and the reason. */
export class ShadowAssignmentError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'ShadowAssignmentError';
  }
}

/** An installed bundle named by its registry id ("experiments/model_...") or, when unambiguous, its version. */
export function findCandidate(modelsRoot: string, ref: string): InstalledVersion {
  const installed = listInstalledVersions(modelsRoot);
  const byId = installed.find((v) => v.id === ref);
  if (byId) return byId;
  const byVersion = installed.filter((v) => v.metadata?.version === ref && v.location !== 'production');
  if (byVersion.length === 1) return byVersion[0];
  if (byVersion.length > 1) {
    throw new ShadowAssignmentError(
      'conflict',
      `version ${ref} is installed more than once (${byVersion.map((v) => v.id).join(', ')}); name the bundle by its id`,
    );
  }
  throw new ShadowAssignmentError('not-found', `there is no model bundle ${ref} under ${modelsRoot}`);
}

/**
 * Puts an installed candidate in shadow, replacing any current shadow. The bundle is verified first (every sha256
 * in its manifest, as production is), and the assignment and its audit event (before and after) are one
 * transaction.
 */
export async function assignShadow(
  store: Store,
  modelsRoot: string,
  ref: string,
  actor: string,
): Promise<{ assignment: ShadowAssignment; previous: ShadowAssignment | null }> {
  const candidate = findCandidate(modelsRoot, ref);
  if (candidate.location === 'production') {
    throw new ShadowAssignmentError('conflict', `${candidate.id} is production: a shadow must be another model`);
  }
  let bundle: Awaited<ReturnType<typeof loadBundle>>;
  try {
    bundle = await loadBundle(candidate.dir);
  } catch (error) {
    if (error instanceof BundleError) {
      throw new ShadowAssignmentError('conflict', `the bundle ${candidate.id} is not usable: ${error.message}`);
    }
    throw error;
  }
  const productionVersion = listInstalledVersions(modelsRoot).find((v) => v.location === 'production')?.metadata
    ?.version;
  if (bundle.metadata.version === productionVersion) {
    throw new ShadowAssignmentError(
      'conflict',
      `${candidate.id} has the production version ${productionVersion}: a shadow must be another model`,
    );
  }
  return store.transaction(() => {
    const result = store.shadow.assign(
      { modelId: candidate.id, modelVersion: bundle.metadata.version, onnxSha256: bundle.metadata.files['model.onnx'] },
      actor,
    );
    store.audit.append({
      actor,
      action: 'shadow.assigned',
      subject: bundle.metadata.version,
      details: {
        modelId: candidate.id,
        onnxSha256: result.assignment.onnxSha256,
        production: productionVersion ?? null,
        before: { shadow: result.previous?.modelVersion ?? null },
        after: { shadow: bundle.metadata.version },
      },
    });
    return result;
  });
}

/** Ends shadow scoring; null (and no audit event) when no shadow was assigned. */
export function clearShadow(store: Store, actor: string): ShadowAssignment | null {
  return store.transaction(() => {
    const cleared = store.shadow.clear(actor);
    if (cleared) {
      store.audit.append({
        actor,
        action: 'shadow.cleared',
        subject: cleared.modelVersion,
        details: { modelId: cleared.modelId, before: { shadow: cleared.modelVersion }, after: { shadow: null } },
      });
    }
    return cleared;
  });
}
