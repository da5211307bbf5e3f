import { fail, ok } from '../../api/result';
import { makeCheckpoint } from '../../store/audit-checkpoint';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';

/** Audit checkpoints from the Audit view: the same signed text `npm run audit:checkpoint` prints. */
export function auditHandlers(app: AppContext): GroupHandlers<'audit'> {
  const { store } = app;
  return {
    async auditCheckpoint(_arg, ctx) {
      if (!store.audit.keyring()) {
        return fail(
          'conflict',
          'No audit key is available (the OS keychain could not be used), so no checkpoint can be signed.',
        );
      }
      const { checkpoint, text } = makeCheckpoint(store.audit, app.actor(ctx).username, new Date().toISOString());
      return ok({
        seq: checkpoint.seq,
        at: checkpoint.at,
        keyId: checkpoint.keyId,
        text,
        fileName: `glucoscreen-audit-checkpoint-${checkpoint.seq}.txt`,
      });
    },
  };
}
