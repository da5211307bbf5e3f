import { fail, ok } from '../../api/result';
import { confirmPassword, createFirstAdmin, needsFirstRun, signIn } from '../../auth/accounts';
import type { AppContext } from '../app-context';
import { type ClientSession, MAX_UNLOCK_FAILURES } from '../client-session';
import type { GroupHandlers } from '../dispatch';

type SignedInInfo = NonNullable<ReturnType<ClientSession['info']>>;

/** First run, sign-in and out, and the lock. */
export function sessionHandlers(app: AppContext): GroupHandlers<'session'> {
  const { store } = app;
  return {
    async firstRunStatus() {
      const model = await app.models.production();
      return ok({
        needsAdmin: needsFirstRun(app.accounts),
        model: model.ok ? model.model.info : null,
        modelProblem: model.ok ? null : model.problem,
      });
    },

    async createAdmin(arg, ctx) {
      const result = await createFirstAdmin(app.accounts, arg.username, arg.password);
      if (!result.ok) return fail(result.code, result.message);
      ctx.session.signIn(result.value);
      store.audit.append({ actor: result.value.username, action: 'auth.signed-in', subject: result.value.username });
      return ok(ctx.session.info() as SignedInInfo);
    },

    async signIn(arg, ctx) {
      const result = await signIn(app.accounts, arg.username, arg.password);
      if (!result.ok) return fail(result.code, result.message);
      ctx.session.signIn(result.value);
      return ok(ctx.session.info() as SignedInInfo);
    },

    async currentSession(_arg, ctx) {
      return ok(ctx.session.info());
    },

    async signOut(_arg, ctx) {
      const user = app.actor(ctx);
      store.audit.append({ actor: user.username, action: 'auth.signed-out', subject: user.username });
      ctx.session.signOut();
      return ok(null);
    },

    async lock(arg, ctx) {
      const user = app.actor(ctx);
      if (!ctx.session.locked) {
        ctx.session.locked = true;
        store.audit.append({
          actor: user.username,
          action: 'auth.locked',
          subject: user.username,
          details: { reason: arg.reason },
        });
      }
      return ok(ctx.session.info() as SignedInInfo);
    },

    async unlock(arg, ctx) {
      const user = app.actor(ctx);
      if (!(await confirmPassword(app.accounts, user, arg.password))) {
        ctx.session.unlockFailures += 1;
        if (ctx.session.unlockFailures >= MAX_UNLOCK_FAILURES) {
          // Whoever is at the locked screen has had their guesses; from here on sign-in's back-off and lockout apply.
          store.audit.append({
            actor: user.username,
            action: 'auth.signed-out',
            subject: user.username,
            details: { reason: 'unlock-failures', failures: ctx.session.unlockFailures },
          });
          ctx.session.signOut();
          return fail('unauthenticated', 'Too many wrong passwords: you have been signed out. Sign in again.');
        }
        return fail('bad-credentials', 'Wrong password.');
      }
      ctx.session.unlockFailures = 0;
      ctx.session.locked = false;
      ctx.session.touch();
      return ok(ctx.session.info() as SignedInInfo);
    },

    async keepAlive() {
      return ok(null);
    },
  };
}
