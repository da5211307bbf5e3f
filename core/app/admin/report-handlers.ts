import { ok } from '../../api/result';
import { makeGovernanceReport } from '../../report/report-data';
import type { AppContext } from '../app-context';
import type { GroupHandlers } from '../dispatch';
import { notWired } from './admin-deps';

/** The printable governance report of a period. */
export function reportHandlers(app: AppContext): GroupHandlers<'reports'> {
  return {
    async governanceReport(arg, ctx) {
      const deps = app.admin;
      if (!deps) return notWired();
      return ok(
        makeGovernanceReport(app.store, deps.config, deps.modelsRoot, {
          ...arg,
          actor: app.actor(ctx).username,
          now: app.now(),
        }),
      );
    },
  };
}
