import { fail, ok } from '../../api/result';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';

/** Reading and changing the app's stored settings (applied at once through LiveSettings). */
export function settingsHandlers(app: AppContext): GroupHandlers<'settings'> {
  const notWired = () => fail('not-implemented', 'Settings are not stored in this build.');
  return {
    async getSettings() {
      return app.settings ? ok(app.settings.stored()) : notWired();
    },
    async updateSettings(arg, ctx) {
      if (!app.settings) return notWired();
      const outcome = app.settings.update(arg.values, app.actor(ctx).username, arg.expectedVersion);
      if (outcome.kind === 'invalid') {
        const keys = outcome.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
        return fail('invalid-argument', `Not saved: ${keys}.`, { problems: outcome.problems });
      }
      if (outcome.kind === 'conflict') {
        return fail(
          'conflict',
          `Not saved: ${outcome.current.updatedBy} saved version ${outcome.current.version} meanwhile. Reload and apply your change again.`,
        );
      }
      return ok({ settings: outcome.settings, changes: outcome.changes });
    },
  };
}
