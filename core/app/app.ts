import type { Result } from '../api/result';
import { driftHandlers } from './admin/drift-handlers';
import { edaHandlers } from './admin/eda-handlers';
import { healthHandlers } from './admin/health-handlers';
import { modelHandlers } from './admin/model-handlers';
import { modelRegistryHandlers } from './admin/model-registry-handlers';
import { monitoringHandlers } from './admin/monitoring-handlers';
import { reportHandlers } from './admin/report-handlers';
import { retrainHandlers } from './admin/retrain-handlers';
import { shadowHandlers } from './admin/shadow-handlers';
import { apiClientHandlers } from './api-clients/api-client-handlers';
import { type AppDeps, createAppContext } from './app-context';
import { auditHandlers } from './audit/audit-handlers';
import { backupHandlers } from './backup/backup-handlers';
import { batchHandlers } from './batches/batch-handlers';
import { ClientSession } from './client-session';
import { type AppHandlers, type CallContext, dispatch } from './dispatch';
import { followUpHandlers } from './follow-up/follow-up-handlers';
import { quickScoreHandlers } from './quick-score/quick-score-handlers';
import { retentionHandlers } from './retention/retention-handlers';
import { sessionHandlers } from './session/session-handlers';
import { settingsHandlers } from './settings/settings-handlers';
import { userHandlers } from './users/user-handlers';
import { worklistExportHandlers } from './worklist/worklist-export-handlers';
import { worklistHandlers } from './worklist/worklist-handlers';

/** The whole application behind the contract, whatever the transport (IPC, the local HTTP host, tests). */
export interface GlucoscreenApp {
  handlers: AppHandlers;
  newSession(): ClientSession;
  /** Parse, authorise, run: what every transport calls. */
  call(method: string, arg: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

export function createApp(deps: AppDeps): GlucoscreenApp {
  const app = createAppContext(deps);
  // One module per contract group; a group left out is a compile error here.
  const handlers: AppHandlers = {
    ...sessionHandlers(app),
    ...batchHandlers(app),
    ...worklistHandlers(app),
    ...worklistExportHandlers(app),
    ...quickScoreHandlers(app),
    ...userHandlers(app),
    ...auditHandlers(app),
    ...edaHandlers(app),
    ...driftHandlers(app),
    ...monitoringHandlers(app),
    ...modelHandlers(app),
    ...modelRegistryHandlers(app),
    ...healthHandlers(app),
    ...reportHandlers(app),
    ...shadowHandlers(app),
    ...followUpHandlers(app),
    ...retrainHandlers(app, deps.retrainToolArgs, deps.locateRetrainTool),
    ...settingsHandlers(app),
    ...backupHandlers(app),
    ...retentionHandlers(app),
    ...apiClientHandlers(app),
  };
  const logError =
    deps.logError ??
    ((method: string, error: unknown) => {
      console.error(`[glucoscreen] ${method} failed:`, error instanceof Error ? error.stack : error);
    });

  return {
    handlers,
    newSession: () => new ClientSession(() => app.now().getTime(), deps.autoLockMinutes),
    call: (method, arg, ctx) => {
      // One store connection serves every call, and an import holds its batch transaction open across chunks (with
      // awaits in between). A write from another call in that window would join the batch and vanish with it if the
      // batch rolled back, so calls run one at a time, in arrival order.
      return app.exclusive(() =>
        dispatch({ handlers, audit: deps.store.audit, users: deps.store.users, logError }, method, arg, ctx),
      );
    },
  };
}
