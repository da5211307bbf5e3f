import type { SessionInfo } from '@contract/outputs';
import type { ReactNode } from 'react';
import { AlertsBadge } from '../features/alerts/open-alerts-banner';
import { FollowUpNav } from '../features/follow-up/components/follow-up-nav';
import { ADMIN_VIEWS, type View } from './view-state';

/** Brand, the main navigation (admin views only for admins) and the user's lock and sign-out buttons. */
export function TopBar({
  session,
  view,
  lastBatchId,
  openAlertCount,
  onNavigate,
  onLock,
  onSignOut,
}: {
  session: SessionInfo;
  view: View;
  lastBatchId: string | null;
  /** Open monitoring alerts (admins only), shown beside Monitoring. */
  openAlertCount: number;
  onNavigate: (view: View) => void;
  onLock: () => void;
  onSignOut: () => void;
}) {
  return (
    <header className="topbar">
      <div className="brand">Glucoscreen</div>
      <nav aria-label="Main">
        <NavButton current={view.name === 'import'} onClick={() => onNavigate({ name: 'import' })}>
          Import
        </NavButton>
        <NavButton
          current={view.name === 'worklist' || view.name === 'patient'}
          disabled={!lastBatchId}
          onClick={() => lastBatchId && onNavigate({ name: 'worklist', batchId: lastBatchId })}
        >
          Worklist
        </NavButton>
        <NavButton current={view.name === 'quick-score'} onClick={() => onNavigate({ name: 'quick-score' })}>
          Quick score
        </NavButton>
        <NavButton current={view.name === 'history'} onClick={() => onNavigate({ name: 'history' })}>
          Batch history
        </NavButton>
        <FollowUpNav
          current={view.name === 'follow-ups' ? view.list : null}
          refreshKey={view}
          onOpen={(list) => onNavigate({ name: 'follow-ups', list })}
        />
        {session.role === 'admin' && (
          <NavButton current={view.name === 'users'} onClick={() => onNavigate({ name: 'users' })}>
            Users
          </NavButton>
        )}
        {session.role === 'admin' &&
          ADMIN_VIEWS.map((v) => (
            <NavButton key={v.name} current={view.name === v.name} onClick={() => onNavigate({ name: v.name })}>
              {v.label}
              {v.name === 'monitoring' && <AlertsBadge count={openAlertCount} />}
            </NavButton>
          ))}
      </nav>
      <div className="user-box">
        <span>
          {session.username} <span className="muted">({session.role})</span>
        </span>
        <button type="button" onClick={onLock}>
          Lock
        </button>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}

function NavButton({
  current,
  disabled,
  onClick,
  children,
}: {
  current: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={current ? 'nav-item current' : 'nav-item'}
      aria-current={current ? 'page' : undefined}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
