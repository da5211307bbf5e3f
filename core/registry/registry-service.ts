import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelsConfig } from '../config/app-config';
import type { AuditLog } from '../store/audit-log';
import type { PromotionRequestRecord, PromotionRequestStore } from '../store/promotion-request-repository';
import { StoreError } from '../store/store-error';
import { BundleError, loadBundle, sha256Hex } from './bundle';
import { BundleImportError, exportBundle, importBundle, verifyExport } from './bundle-export';
import { type InstalledVersion, listInstalledVersions } from './installed-versions';
import { ModelRegistry } from './model-registry';
import {
  decide,
  evaluateGates,
  evaluationOf,
  type GateResult,
  MIN_OVERRIDE_REASON,
  type ShadowEvidence,
} from './promotion-gates';
import { compareVersions, isVersion } from './semver';

/**
 * The registry's operations as the Models view and `npm run models` both use them: list, gates, promote (with the
 * two-person rule when configured), approve, reject, rollback, archive, export and import. Every change and every
 * refusal is audited with the actor; a refusal is an error whose message names the gate or the file.
 */
export class RegistryError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict' | 'invalid-argument',
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export interface RegistryServiceDeps {
  modelsRoot: string;
  store: { audit: AuditLog; promotionRequests: PromotionRequestStore; transaction<T>(fn: () => T): T };
  policy: ModelsConfig;
  /** Shadow scoring's comparison of a candidate with production on the same labelled patients; none by default. */
  shadowEvidenceFor?: (version: string) => ShadowEvidence;
  /** After production changed, so whoever scores loads the new bundle. */
  onModelChanged?: () => void;
}

export interface GateReport {
  model: InstalledVersion;
  version: string;
  productionVersion: string | null;
  results: GateResult[];
  /** Failed gates an admin may override with a reason; empty when none failed or a failure cannot be overridden. */
  needsReason: boolean;
  blocked: boolean;
}

export type PromoteOutcome =
  | { outcome: 'promoted'; version: string; previous: string | null }
  | { outcome: 'pending'; request: PromotionRequestRecord };

/** A usable bundle newer than production (any usable one when there is no production model). */
export function promotable(v: InstalledVersion, productionVersion: string | null): boolean {
  const version = v.metadata?.version;
  if (v.problem || !version || v.location === 'production' || v.location === 'production_backup') return false;
  if (productionVersion === null) return true;
  if (!isVersion(version) || !isVersion(productionVersion)) return version !== productionVersion;
  return compareVersions(version, productionVersion) > 0;
}

/** A version older than production is offered only as a restore from the archive, and only with a reason. */
export function restorable(v: InstalledVersion, productionVersion: string | null): boolean {
  const version = v.metadata?.version;
  if (v.location !== 'archive' || v.problem || !version || productionVersion === null) return false;
  return isVersion(version) && isVersion(productionVersion) && compareVersions(version, productionVersion) < 0;
}

/** Only experiments are archived: production is in use, the backup is what rollback restores. */
export function archivable(v: InstalledVersion): boolean {
  return v.location === 'experiment';
}

const summary = (results: GateResult[]) => results.map((r) => ({ gate: r.gate, status: r.status, message: r.message }));

export function createRegistryService(deps: RegistryServiceDeps) {
  const { modelsRoot, store, policy } = deps;
  const registry = () =>
    new ModelRegistry(modelsRoot, (event) => {
      if (event.action === 'recover')
        store.audit.append({
          actor: 'system',
          action: 'model.registry-recovered',
          subject: event.version,
          details: { after: { production: event.version ?? null } },
        });
    });

  const list = () => listInstalledVersions(modelsRoot);
  const productionVersion = () => list().find((v) => v.location === 'production')?.metadata?.version ?? null;

  /** A listed folder by its id, or by its version when exactly one folder outside production holds it. */
  const find = (ref: string): InstalledVersion => {
    const installed = list();
    const byId = installed.find((v) => v.id === ref);
    if (byId) return byId;
    const byVersion = installed.filter((v) => v.metadata?.version === ref);
    const candidates = byVersion.length > 1 ? byVersion.filter((v) => v.location !== 'production') : byVersion;
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1)
      throw new RegistryError(
        'invalid-argument',
        `${ref} is installed in ${candidates.map((v) => v.id).join(', ')}; name the folder`,
      );
    throw new RegistryError('not-found', `There is no model bundle ${ref}.`);
  };

  const metadataSha = (model: InstalledVersion) => sha256Hex(readFileSync(join(model.dir, 'metadata.json')));

  const gatesOf = async (model: InstalledVersion, overrideReason: string | null = null): Promise<GateReport> => {
    if (model.location === 'production') throw new RegistryError('conflict', `${model.id} is already in production.`);
    if (model.location === 'production_backup')
      throw new RegistryError('conflict', 'The backup is restored by rolling back, not by promoting it.');
    let bundleProblem = model.problem;
    if (bundleProblem === null) {
      try {
        await loadBundle(model.dir);
      } catch (error) {
        if (!(error instanceof BundleError)) throw error;
        bundleProblem = error.message;
      }
    }
    const version = model.metadata?.version ?? model.id;
    const production = productionVersion();
    const results = evaluateGates({
      candidateVersion: version,
      bundleProblem,
      evaluation: model.metadata ? evaluationOf(model.metadata) : { recall: null, source: null },
      productionVersion: production,
      targetRecall: policy.targetRecall,
      shadow: deps.shadowEvidenceFor?.(version) ?? null,
      minShadowLabels: policy.minShadowLabels,
    });
    const decision = decide(results, overrideReason);
    return {
      model,
      version,
      productionVersion: production,
      results,
      needsReason: !decision.allowed && decision.needsReason,
      blocked: !decision.allowed,
    };
  };

  const refuse = (actor: string, report: GateReport, reason: string | null): never => {
    const failed = report.results.filter((r) => r.status === 'fail');
    store.audit.append({
      actor,
      action: 'model.promote-refused',
      subject: report.version,
      details: { from: report.model.id, production: report.productionVersion, gates: summary(report.results) },
    });
    const hint = report.needsReason
      ? reason
        ? ` The reason must be at least ${MIN_OVERRIDE_REASON} characters.`
        : ' An admin may override with a written reason.'
      : '';
    throw new RegistryError('conflict', `Not promoted: ${failed.map((r) => r.message).join('; ')}.${hint}`);
  };

  /** Moves the files, then records the change; the registry's journal finishes an interrupted move on next use. */
  const promoteNow = async (
    report: GateReport,
    actor: string,
    extra: { overrideReason: string | null; approvedBy: string | null; requestId: number | null },
  ) => {
    const overridden = report.results.filter((r) => r.status === 'fail');
    const allowOlder = overridden.some((r) => r.gate === 'version');
    const previous = report.productionVersion;
    const version = await registry().promote(report.model.dir, { allowSameOrOlder: allowOlder });
    deps.onModelChanged?.();
    store.audit.append({
      actor,
      action: 'model.promoted',
      subject: version,
      details: {
        from: report.model.id,
        previous,
        before: { production: previous },
        after: { production: version },
        gates: summary(report.results),
        overrideReason: extra.overrideReason,
        overriddenGates: overridden.map((r) => r.gate),
        approvedBy: extra.approvedBy,
        requestId: extra.requestId,
      },
    });
    return { outcome: 'promoted' as const, version, previous };
  };

  const auditOverride = (actor: string, report: GateReport, reason: string) => {
    const overridden = report.results.filter((r) => r.status === 'fail');
    if (overridden.length === 0) return;
    store.audit.append({
      actor,
      action: 'model.gates-overridden',
      subject: report.version,
      details: { from: report.model.id, reason, gates: summary(overridden) },
    });
  };

  const requestOf = (id: number): PromotionRequestRecord => {
    const request = store.promotionRequests.get(id);
    if (!request) throw new RegistryError('not-found', `There is no promotion request ${id}.`);
    if (request.status !== 'pending')
      throw new RegistryError('conflict', `Promotion request ${id} was ${request.status} already.`);
    return request;
  };

  return {
    list,
    find,
    productionVersion,
    pendingRequests: () => store.promotionRequests.listPending(),
    requireSecondApprover: policy.requireSecondApprover,

    gates: (ref: string, overrideReason: string | null = null) => gatesOf(find(ref), overrideReason),

    /** Promotes at once, or with the two-person rule records a request for another admin to approve. */
    async promote(ref: string, actor: string, overrideReason: string | null = null): Promise<PromoteOutcome> {
      const reason = overrideReason?.trim() || null;
      const report = await gatesOf(find(ref), reason);
      if (report.blocked) refuse(actor, report, reason);
      if (!policy.requireSecondApprover) {
        if (reason) auditOverride(actor, report, reason);
        return promoteNow(report, actor, { overrideReason: reason, approvedBy: null, requestId: null });
      }
      const request = store.transaction(() => {
        let created: PromotionRequestRecord;
        try {
          created = store.promotionRequests.create({
            modelId: report.model.id,
            version: report.version,
            metadataSha256: metadataSha(report.model),
            requestedBy: actor,
            overrideReason: reason,
            gates: summary(report.results),
          });
        } catch (error) {
          if (error instanceof StoreError && error.code === 'conflict')
            throw new RegistryError('conflict', error.message);
          throw error;
        }
        // Recorded only with the request it belongs to (a second pending request is refused above).
        if (reason) auditOverride(actor, report, reason);
        store.audit.append({
          actor,
          action: 'model.promotion-requested',
          subject: report.version,
          details: {
            requestId: created.id,
            from: report.model.id,
            overrideReason: reason,
            gates: summary(report.results),
          },
        });
        return created;
      });
      return { outcome: 'pending', request };
    },

    /**
     * A second admin approves a pending request: the bundle must be the very one requested (same metadata.json,
     * so the same files), and the gates are checked again; only gates the requester overrode may fail now.
     */
    async approve(requestId: number, actor: string) {
      const request = requestOf(requestId);
      if (request.requestedBy === actor)
        throw new RegistryError('conflict', `${actor} requested this promotion and cannot also approve it.`);
      const model = find(request.modelId);
      if (metadataSha(model) !== request.metadataSha256)
        throw new RegistryError(
          'conflict',
          `${request.modelId} changed since the request; reject it and request again.`,
        );
      const report = await gatesOf(model, request.overrideReason);
      const overriddenThen = new Set(
        (request.gates as { gate: string; status: string }[]).filter((g) => g.status === 'fail').map((g) => g.gate),
      );
      const newlyFailed = report.results.filter((r) => r.status === 'fail' && !overriddenThen.has(r.gate));
      if (report.blocked || newlyFailed.length > 0)
        throw new RegistryError(
          'conflict',
          `Not approved: the gates changed since the request (${[...newlyFailed, ...report.results.filter((r) => r.status === 'fail' && !r.overridable)].map((r) => r.message).join('; ')}); reject it and request again.`,
        );
      store.transaction(() => {
        store.promotionRequests.decide(requestId, { status: 'approved', by: actor, note: null });
        store.audit.append({
          actor,
          action: 'model.promotion-approved',
          subject: request.version,
          details: { requestId, requestedBy: request.requestedBy, from: request.modelId },
        });
      });
      try {
        return await promoteNow(report, actor, {
          overrideReason: request.overrideReason,
          approvedBy: actor,
          requestId,
        });
      } catch (error) {
        // The approval stands in the log; so must the fact that production did not change.
        store.audit.append({
          actor,
          action: 'model.promote-failed',
          subject: request.version,
          details: { requestId, from: request.modelId, reason: (error as Error).message },
        });
        throw new RegistryError('conflict', `Approved, but not promoted: ${(error as Error).message}`);
      }
    },

    reject(requestId: number, actor: string, note: string | null) {
      const request = requestOf(requestId);
      return store.transaction(() => {
        const decided = store.promotionRequests.decide(requestId, { status: 'rejected', by: actor, note });
        store.audit.append({
          actor,
          action: 'model.promotion-rejected',
          subject: request.version,
          details: { requestId, requestedBy: request.requestedBy, from: request.modelId, note },
        });
        return decided;
      });
    },

    async rollback(actor: string) {
      const previous = productionVersion();
      let version: string;
      try {
        version = await registry().rollback();
      } catch (error) {
        throw new RegistryError('conflict', `Not rolled back: ${(error as Error).message}`);
      }
      deps.onModelChanged?.();
      store.audit.append({
        actor,
        action: 'model.rolled-back',
        subject: version,
        details: { previous, before: { production: previous }, after: { production: version } },
      });
      return { version, previous };
    },

    archive(ref: string, actor: string) {
      const model = find(ref);
      if (!archivable(model))
        throw new RegistryError(
          'conflict',
          model.location === 'archive'
            ? `${model.id} is archived already.`
            : `${model.id} cannot be archived: only experiments are (production is in use, the backup is what rollback restores).`,
        );
      const pending = store.promotionRequests.listPending().find((r) => r.modelId === model.id);
      if (pending)
        throw new RegistryError(
          'conflict',
          `${model.id} has a pending promotion request (${pending.id}); decide it first.`,
        );
      const archiveRoot = join(modelsRoot, 'archive');
      mkdirSync(archiveRoot, { recursive: true });
      const name = model.id.split('/')[1];
      let target = join(archiveRoot, name);
      for (let i = 2; list().some((v) => v.dir === target); i++) target = join(archiveRoot, `${name}_${i}`);
      renameSync(model.dir, target);
      const to = `archive/${target.split('/').pop()}`;
      store.audit.append({
        actor,
        action: 'model.archived',
        subject: model.metadata?.version ?? model.id,
        details: { before: { location: model.id }, after: { location: to } },
      });
      return { from: model.id, to };
    },

    /** The export file's name and text; the bundle is verified first. */
    async exportModel(ref: string, actor: string) {
      const model = find(ref);
      let exported: { version: string; text: string };
      try {
        exported = await exportBundle(model.dir);
      } catch (error) {
        if (error instanceof BundleError)
          throw new RegistryError('conflict', `${model.id} is not exported: ${error.message}`);
        throw error;
      }
      store.audit.append({
        actor,
        action: 'model.exported',
        subject: exported.version,
        details: { from: model.id, exportSha256: sha256Hex(new TextEncoder().encode(exported.text)) },
      });
      return { fileName: `glucoscreen-model-${exported.version}.json`, version: exported.version, text: exported.text };
    },

    /** Installs an export as experiments/imported-<version>; refusals (a changed file, a known version) are audited. */
    async importModel(source: string, text: string, actor: string) {
      const exportSha256 = sha256Hex(new TextEncoder().encode(text));
      try {
        const { version } = verifyExport(source, text);
        const installed = list().find((v) => v.metadata?.version === version);
        if (installed) throw new BundleImportError(source, `${version} is installed already (${installed.id})`);
        const { dir } = await importBundle(source, text, join(modelsRoot, 'experiments'), (v) => `imported-${v}`);
        const id = `experiments/${dir.split('/').pop()}`;
        store.audit.append({
          actor,
          action: 'model.imported',
          subject: version,
          details: { source, exportSha256, after: { location: id } },
        });
        return { version, id };
      } catch (error) {
        if (!(error instanceof BundleImportError)) throw error;
        store.audit.append({
          actor,
          action: 'model.import-refused',
          subject: source,
          details: { exportSha256, reason: error.message },
        });
        throw new RegistryError('conflict', `Not imported: ${error.message}`);
      }
    },
  };
}

export type RegistryService = ReturnType<typeof createRegistryService>;
