/**
 * LOCAL RUNTIME ONLY: choose which demo person the app acts as. The local runtime takes the
 * caller from the x-worktime-account header; in Forge the platform says who the caller is, and
 * this file is not in that build (ui/forge/main.tsx never imports it).
 */
import { useId } from 'react';

export interface LocalPerson {
  readonly accountId: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly timeZone: string | null;
}

/** `accountId` null: nobody chosen yet (the address named someone unknown), so the picker asks. */
export function ActingAsPicker({ people, accountId, onChange }: { people: readonly LocalPerson[]; accountId: string | null; onChange: (accountId: string) => void }) {
  const id = useId();
  return (
    <div className="wt-field">
      <label htmlFor={id}>Acting as (local runtime only)</label>
      <select id={id} className="wt-select" value={accountId ?? ''} onChange={(e) => e.target.value && onChange(e.target.value)} data-testid="acting-as">
        {accountId === null ? <option value="">Choose a person</option> : null}
        {people.map((p) => (
          <option key={p.accountId} value={p.accountId}>
            {p.displayName} — {p.roles.join(', ')}
          </option>
        ))}
      </select>
    </div>
  );
}
