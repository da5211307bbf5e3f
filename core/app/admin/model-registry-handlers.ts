import { MIN_OVERRIDE_REASON } from '../../registry/promotion-gates';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';
import { notWired } from './admin-deps';
import { modelListOf, registryCall, registryServiceOf } from './model-handlers';

/** The registry operations of the Models view beyond promote and rollback; the CLI runs the same service. */
export function modelRegistryHandlers(app: AppContext): GroupHandlers<'modelRegistry'> {
  const service = () => (app.admin ? registryServiceOf(app, app.admin) : null);
  return {
    async promotionGates(arg) {
      const registry = service();
      if (!registry) return notWired();
      return registryCall(async () => {
        const report = await registry.gates(arg.modelId);
        return {
          modelId: report.model.id,
          version: report.version,
          productionVersion: report.productionVersion,
          results: report.results,
          blocked: report.blocked,
          needsReason: report.needsReason,
          minReasonLength: MIN_OVERRIDE_REASON,
          requireSecondApprover: registry.requireSecondApprover,
        };
      });
    },

    async approvePromotion(arg, ctx) {
      const registry = service();
      if (!registry) return notWired();
      return registryCall(async () => {
        await registry.approve(arg.requestId, app.actor(ctx).username);
        return modelListOf(registry);
      });
    },

    async rejectPromotion(arg, ctx) {
      const registry = service();
      if (!registry) return notWired();
      return registryCall(async () => {
        registry.reject(arg.requestId, app.actor(ctx).username, arg.note || null);
        return modelListOf(registry);
      });
    },

    async archiveModel(arg, ctx) {
      const registry = service();
      if (!registry) return notWired();
      return registryCall(async () => {
        registry.archive(arg.modelId, app.actor(ctx).username);
        return modelListOf(registry);
      });
    },

    async exportModel(arg, ctx) {
      const registry = service();
      if (!registry) return notWired();
      return registryCall(async () => {
        const exported = await registry.exportModel(arg.modelId, app.actor(ctx).username);
        return {
          fileName: exported.fileName,
          mimeType: 'application/json' as const,
          content: exported.text,
          version: exported.version,
        };
      });
    },

    async importModel(arg, ctx) {
      const registry = service();
      if (!registry) return notWired();
      return registryCall(async () => {
        await registry.importModel(arg.fileName, arg.content, app.actor(ctx).username);
        return modelListOf(registry);
      });
    },
  };
}
