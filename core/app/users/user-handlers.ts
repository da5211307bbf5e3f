import type { UserSummary } from '../../api/outputs';
import { fail, ok } from '../../api/result';
import { type AccountChange, type AccountDeps, accountState, changeAccount, createUser } from '../../auth/accounts';
import type { UserRecord } from '../../store/user-repository';
import type { AppContext } from '../app-context';
import type { CallContext, GroupHandlers } from '../dispatch';

/** User accounts and the audit log. */
export function userHandlers(app: AppContext): GroupHandlers<'users'> {
  const { store } = app;
  const change = async (ctx: CallContext, username: string, what: AccountChange) => {
    const result = await changeAccount(app.accounts, app.actor(ctx), username, what);
    return result.ok ? ok(userSummary(app.accounts, result.value)) : fail(result.code, result.message);
  };
  return {
    async createUser(arg, ctx) {
      const result = await createUser(app.accounts, app.actor(ctx), arg);
      return result.ok ? ok(userSummary(app.accounts, result.value)) : fail(result.code, result.message);
    },

    async listUsers() {
      return ok(store.users.list().map((u) => userSummary(app.accounts, u)));
    },

    setUserDisabled: (arg, ctx) => change(ctx, arg.username, { kind: 'disable', disabled: arg.disabled }),
    setUserRole: (arg, ctx) => change(ctx, arg.username, { kind: 'role', role: arg.role }),
    resetPassword: (arg, ctx) => change(ctx, arg.username, { kind: 'reset-password', password: arg.password }),
    unlockUser: (arg, ctx) => change(ctx, arg.username, { kind: 'unlock' }),

    async auditLog(arg) {
      // The chain is small next to the predictions; filters beyond `action` are applied here.
      const all = store.audit.list({ action: arg.action, descending: true });
      const from = arg.from ? Date.parse(arg.from) : Number.NEGATIVE_INFINITY;
      const to = arg.to ? Date.parse(arg.to) : Number.POSITIVE_INFINITY;
      const filtered = all.filter((e) => {
        const at = Date.parse(e.at);
        return (!arg.actor || e.actor === arg.actor) && at >= from && at <= to;
      });
      return ok({
        events: filtered.slice(arg.offset, arg.offset + arg.limit).map((e) => ({
          seq: e.seq,
          at: e.at,
          actor: e.actor,
          action: e.action,
          subject: e.subject,
          details: e.details,
          purgedBySeq: e.purgedBySeq ?? null,
        })),
        total: filtered.length,
        verification: store.audit.verify(),
      });
    },
  };
}

function userSummary(accounts: AccountDeps, user: UserRecord): UserSummary {
  const state = accountState(accounts, user);
  return {
    username: user.username,
    role: user.role,
    createdAt: user.createdAt,
    disabled: state.disabled,
    lockedOut: state.lockedOut,
  };
}
