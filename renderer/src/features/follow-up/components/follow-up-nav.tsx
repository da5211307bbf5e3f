import type { FollowUpCounts } from '@contract/follow-up-types';
import { useEffect, useState } from 'react';
import { useApi } from '../../../app/api-context';
import { onFollowUpChanged } from './status-text';
import '../follow-up.css';

export type FollowUpListName = 'mine' | 'overdue';

/**
 * "My follow-ups" and "Overdue" in the main navigation, each with the signed-in user's count, re-read whenever the
 * view changes (a step recorded elsewhere shows on the next navigation).
 */
export function FollowUpNav({
  current,
  refreshKey,
  onOpen,
}: {
  current: FollowUpListName | null;
  refreshKey: unknown;
  onOpen: (list: FollowUpListName) => void;
}) {
  const api = useApi();
  const [counts, setCounts] = useState<FollowUpCounts | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey (the current view) is what triggers a re-read
  useEffect(() => {
    const load = () => void api.followUpCounts({}).then((r) => r.ok && setCounts(r.value));
    load();
    return onFollowUpChanged(load);
  }, [api, refreshKey]);
  const item = (list: FollowUpListName, label: string, count: number | undefined, countLabel: string) => (
    <button
      type="button"
      className={current === list ? 'nav-item current' : 'nav-item'}
      aria-current={current === list ? 'page' : undefined}
      onClick={() => onOpen(list)}
    >
      {label}
      {count !== undefined && (
        <span className={list === 'overdue' && count > 0 ? 'nav-count overdue' : 'nav-count'}>
          {count}
          <span className="visually-hidden"> {countLabel}</span>
        </span>
      )}
    </button>
  );
  return (
    <>
      {item('mine', 'My follow-ups', counts?.mine, 'open')}
      {item('overdue', 'Overdue', counts?.overdue, 'overdue')}
    </>
  );
}
