import type { Fmt } from '../myPeriod/fmt';
import type { Identity } from '../../shell/identity';
import type { Person } from './people';
import type { Team } from '../../client/adminAnswers';

/** What the Admin view gives each panel: who is using it, the people and teams to pick from, formatters and today's date. */
export interface PanelProps {
  readonly identity: Identity;
  readonly people: readonly Person[];
  readonly teams: readonly Team[];
  readonly fmt: Fmt;
  /** The zone dates are shown in: the admin's own, or the site's. */
  readonly zone: string;
  /** Today in that zone (YYYY-MM-DD). */
  readonly today: string;
  /** Call after a change to teams, so the people and teams reload. */
  readonly onTeamsChanged: () => void;
}
