import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { ACCESS_DENIED_MESSAGES, checkAccess, type SessionView } from '../../core/api/access';
import { fail, type Result } from '../../core/api/result';
import {
  channelOf,
  METHOD_NAMES,
  type MethodName,
  type OutputOf,
  type ParsedInputOf,
  screeningContract,
} from '../../core/api/screening-api';
import type { CoreClient } from './core-client';
import { isTrustedSender } from './window-security';

interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle'>;
  core: CoreClient;
  /** True when the WebContents belongs to one of the app's own windows. */
  isOurWindow: (contents: IpcMainInvokeEvent['sender']) => boolean;
  logError?: (method: string, error: unknown) => void;
}

type Impl<K extends MethodName> = (arg: ParsedInputOf<K>, clientId: number) => Promise<Result<OutputOf<K>>>;

/**
 * One generic handler for every contract method: sender check, argument schema, role (against the session the core
 * last reported for this window), then the call into the core process, with faults mapped to values. The core
 * re-checks schema and role itself (it is the authority: it also applies the inactivity lock).
 */
export function registerIpcHandlers(deps: IpcDeps): { sessions: Map<number, SessionView | null> } {
  const sessions = new Map<number, SessionView | null>();

  function handle<K extends MethodName>(name: K, impl: Impl<K>): void {
    const spec = screeningContract[name];
    deps.ipcMain.handle(channelOf(name), async (event, raw: unknown) => {
      if (!isTrustedSender(event.senderFrame, deps.isOurWindow(event.sender))) {
        return fail('forbidden', 'The request did not come from the app window.');
      }
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) return fail('invalid-argument', z.prettifyError(parsed.error));
      const decision = checkAccess(spec.access, sessions.get(event.sender.id) ?? null);
      if (!decision.allowed) return fail(decision.code, ACCESS_DENIED_MESSAGES[decision.code]);
      try {
        return await impl(parsed.data as ParsedInputOf<K>, event.sender.id);
      } catch (error) {
        deps.logError?.(name, error);
        return fail('internal', `An unexpected error stopped "${name}". Details are in the application log.`);
      }
    });
  }

  const forward =
    <K extends MethodName>(name: K): Impl<K> =>
    async (arg, clientId) => {
      const { result, session } = await deps.core.call(clientId, name, arg);
      sessions.set(clientId, session);
      return result as Result<OutputOf<K>>;
    };

  for (const name of METHOD_NAMES) handle(name, forward(name));
  return { sessions };
}
