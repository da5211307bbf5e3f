import { z } from 'zod';
import { ACCESS_DENIED_MESSAGES, checkAccess } from '../api/access';
import { fail, type Result } from '../api/result';
import {
  type EventName,
  isMethodName,
  type MethodGroup,
  type MethodName,
  type MethodOf,
  type OutputOf,
  type ParsedInputOf,
  type ScreeningEvents,
  screeningContract,
} from '../api/screening-api';
import type { AuditLog } from '../store/audit-log';
import type { UserStore } from '../store/user-repository';
import type { ClientSession } from './client-session';

export interface CallContext {
  session: ClientSession;
  /** Pushes an event (import progress) to the client that made the call. */
  emit<E extends EventName>(event: E, payload: ScreeningEvents[E]): void;
}

/** The implementation side of the contract: the argument arrives parsed, the caller already authorised. */
export type AppHandlers = {
  [K in MethodName]: (arg: ParsedInputOf<K>, ctx: CallContext) => Promise<Result<OutputOf<K>>>;
};

/** The handlers of one contract group: what each handler module exports. */
export type GroupHandlers<G extends MethodGroup> = Pick<AppHandlers, MethodOf<G>>;

interface DispatchDeps {
  handlers: AppHandlers;
  audit: AuditLog;
  /** The accounts, re-read on every call so the session never acts on a stale role or a disabled account. */
  users: Pick<UserStore, 'get'>;
  /** Where unexpected faults go (main-process log); never shown to the user beyond a generic message. */
  logError: (method: string, error: unknown) => void;
}

/**
 * Every call from every transport goes through here: unknown method, argument schema, the account's current state,
 * inactivity lock, role, then the handler; thrown errors become `internal` values. Electron's handle() adds the sender
 * check in front.
 */
export async function dispatch(
  deps: DispatchDeps,
  method: string,
  rawArg: unknown,
  ctx: CallContext,
): Promise<Result<unknown>> {
  if (!isMethodName(method)) return fail('invalid-argument', `Unknown method "${method}".`);
  const spec = screeningContract[method];
  const parsed = spec.input.safeParse(rawArg);
  if (!parsed.success) return fail('invalid-argument', z.prettifyError(parsed.error));

  const session = ctx.session;
  const ended = session.refresh((username) => deps.users.get(username));
  if (ended) {
    deps.audit.append({
      actor: ended.username,
      action: 'auth.session-ended',
      subject: ended.username,
      details: { reason: ended.reason, method },
    });
  }
  if (session.idleExpired() && session.user) {
    session.locked = true;
    deps.audit.append({
      actor: session.user.username,
      action: 'auth.locked',
      subject: session.user.username,
      details: { reason: 'inactivity', detectedBy: 'main' },
    });
  }
  const decision = checkAccess(spec.access, session.view());
  if (!decision.allowed) {
    if (decision.code === 'forbidden' && session.user) {
      // A refused admin action is itself worth an audit line: it was hidden in the UI, so someone went around it.
      deps.audit.append({ actor: session.user.username, action: 'access.denied', subject: method });
    }
    return fail(decision.code, ACCESS_DENIED_MESSAGES[decision.code]);
  }
  if (spec.access !== 'public') session.touch();

  const handler = deps.handlers[method] as (arg: unknown, ctx: CallContext) => Promise<Result<unknown>>;
  try {
    return await handler(parsed.data, ctx);
  } catch (error) {
    deps.logError(method, error);
    return fail('internal', `An unexpected error stopped "${method}". Details are in the application log.`);
  }
}
