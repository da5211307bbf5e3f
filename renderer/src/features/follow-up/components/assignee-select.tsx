import { type ReactNode, useEffect, useState } from 'react';
import { useApi } from '../../../app/api-context';

/** The "Assign to" picker over the enabled accounts; starts on `initial`, else the first account. */
export function useAssignee(initial: string | null): { assignee: string; picker: ReactNode } {
  const api = useApi();
  const [assignees, setAssignees] = useState<string[]>([]);
  const [assignee, setAssignee] = useState(initial ?? '');
  useEffect(() => {
    void api.followUpAssignees({}).then((r) => {
      if (r.ok) {
        setAssignees(r.value);
        setAssignee((a) => a || (r.value[0] ?? ''));
      }
    });
  }, [api]);
  const picker = (
    <label>
      Assign to
      <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
        {assignees.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
    </label>
  );
  return { assignee, picker };
}
