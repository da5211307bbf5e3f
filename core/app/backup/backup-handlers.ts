import { fail, ok } from '../../api/result';
import { RestoreRefused } from '../../backup/database-backup';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';

/** Backups of the database from the app, and restoring one (admin only; the contract demands a typed confirmation). */
export function backupHandlers(app: AppContext): GroupHandlers<'backups'> {
  const notWired = () => fail('not-implemented', 'Backups are not configured in this build.');
  return {
    async listBackups() {
      return app.backups ? ok(app.backups.list()) : notWired();
    },
    async backupDatabase(_arg, ctx) {
      return app.backups ? ok(await app.backups.create(app.actor(ctx).username)) : notWired();
    },
    async restoreDatabase(arg, ctx) {
      if (!app.backups) return notWired();
      const actor = app.actor(ctx).username;
      try {
        return ok(await app.backups.restore(arg.file, actor));
      } catch (error) {
        if (!(error instanceof RestoreRefused)) throw error;
        // The refusal goes into the chain that stays in use.
        app.store.audit.append({
          actor,
          action: 'database.restore-refused',
          subject: arg.file,
          details: { reason: error.message },
        });
        return fail('conflict', error.message);
      }
    },
  };
}
