// Tests only: contract calls through the whole app, as a transport makes them.
import type { Result } from '../../api/result';
import type { InputOf, MethodName, OutputOf } from '../../api/screening-api';
import type { GlucoscreenApp } from '../app';
import type { ClientSession } from '../client-session';
import type { CallContext } from '../dispatch';

/** A caller of `app` for one test file; events go to `emit` (dropped by default). */
export function appCaller(app: () => GlucoscreenApp, emit: CallContext['emit'] = () => {}) {
  return async <T = unknown>(session: ClientSession, method: string, arg: unknown): Promise<Result<T>> =>
    (await app().call(method, arg, { session, emit })) as Result<T>;
}

/** Like appCaller, typed by the contract: the method's input, and its output in the result. */
export function contractCaller(app: () => GlucoscreenApp, emit: CallContext['emit'] = () => {}) {
  const call = appCaller(app, emit);
  return <K extends MethodName>(session: ClientSession, method: K, arg: InputOf<K>): Promise<Result<OutputOf<K>>> =>
    call<OutputOf<K>>(session, method, arg);
}

/** The value of a successful call; a failed one fails the test with its code and message. */
export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** A fresh app's first admin ('admin') and a clinician ('nurse') it created, each signed in. */
export async function adminAndClinician(app: GlucoscreenApp) {
  const call = contractCaller(() => app);
  const admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
  value(await call(admin, 'createUser', { username: 'nurse', password: 'nurse password', role: 'clinician' }));
  const clinician = app.newSession();
  value(await call(clinician, 'signIn', { username: 'nurse', password: 'nurse password' }));
  return { admin, clinician };
}
