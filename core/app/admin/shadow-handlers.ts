import { fail, ok } from '../../api/result';
import { createShadowComparisonCache, shadowStatus } from '../../monitoring/shadow-report';
import { assignShadow, clearShadow, ShadowAssignmentError } from '../../registry/shadow-assignment';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';
import { notWired } from './admin-deps';

/** Shadow scoring: which candidate scores beside production, and how the two compare. */
export function shadowHandlers(app: AppContext): GroupHandlers<'shadow'> {
  const { store } = app;
  const cache = createShadowComparisonCache();
  return {
    async shadowStatus(arg) {
      const status = shadowStatus(store, arg.version, cache);
      if (arg.version && !status.comparison) return fail('not-found', `Version ${arg.version} has no shadow scores.`);
      return ok(status);
    },

    async setShadow(arg, ctx) {
      const deps = app.admin;
      if (!deps) return notWired();
      const user = app.actor(ctx);
      try {
        await assignShadow(store, deps.modelsRoot, arg.modelId, user.username);
      } catch (error) {
        if (error instanceof ShadowAssignmentError) {
          store.audit.append({
            actor: user.username,
            action: 'shadow.assign-refused',
            subject: arg.modelId,
            details: { reason: error.message },
          });
          return fail(error.code, `Not put in shadow: ${error.message}`);
        }
        throw error;
      }
      return ok(shadowStatus(store, undefined, cache));
    },

    async clearShadow(_arg, ctx) {
      const cleared = clearShadow(store, app.actor(ctx).username);
      if (!cleared) return fail('conflict', 'No model is in shadow.');
      return ok(shadowStatus(store, undefined, cache));
    },
  };
}
