/**
 * The local runtime's entry (dist/ui-local, served at / by src/local/server.ts): resolvers over
 * HTTP, and the acting-as picker, since locally nothing vouches for the caller. The person acted
 * as is kept in the address (?as=<accountId>), so a link or a reload keeps it.
 *
 * This module stays small on purpose: it starts the people list, My period's reads and the theme's
 * token CSS as soon as it runs, and only then loads React and the app (./LocalApp, a chunk of its
 * own), so the calls travel while the browser parses and runs the app's code, not after.
 */
import { createResolverClient, ResolverError } from '../src/client/resolverClient';
import { startColorMode } from '../src/theme/theme';
import { browserMonthReportCalls, myPeriodCalls, myPeriodReportCalls, type Call } from '../src/views/myPeriod/firstCalls';
import type { LocalPerson } from './ActingAsPicker';
import { httpTransport } from './httpTransport';

export async function loadPeople(): Promise<LocalPerson[]> {
  const response = await fetch('/api/people');
  if (!response.ok) throw new ResolverError('UNREACHABLE', `The local runtime answered ${response.status} for /api/people. Is it still running? Start it with npm start.`, '/api/people');
  return (await response.json()) as LocalPerson[];
}

export const initialAccount = () => new URLSearchParams(window.location.search).get('as');

/** Who the app acts as: the ?as= of the address, else (once the people are known) the first person. */
export const acting: { accountId: string | null } = { accountId: initialAccount() };
export const client = createResolverClient(httpTransport(() => acting.accountId));

// React and the app first: the largest download, parsed while the calls below travel.
void import('./LocalApp').then((m) => m.mountLocalApp(document.getElementById('root')!));

const prefetch = (calls: readonly Call[]) => calls.forEach(([name, payload]) => client.prefetch(name, payload));
if (acting.accountId) prefetch(myPeriodCalls(acting.accountId));
/** The month's report and record, asked for in this browser's zone (below); should the person's zone (known with the people list) give another month, that one is asked for then. */
let guessed: Call[] = [];
/** The first people list, taken once by the app (a retry asks again). */
export const firstPeople: { request: Promise<LocalPerson[]> | null } = {
  request: loadPeople().then((people) => {
    const person = acting.accountId ? people.find((p) => p.accountId === acting.accountId) : people[0];
    if (person) {
      if (!acting.accountId) prefetch(myPeriodCalls(person.accountId));
      acting.accountId = person.accountId;
      const calls = myPeriodReportCalls(person.timeZone);
      if (JSON.stringify(calls) !== JSON.stringify(guessed)) prefetch(calls);
    }
    return people;
  }),
};
// The month in this browser's zone, without Intl (its first use in a page is slow).
guessed = acting.accountId ? browserMonthReportCalls() : [];
prefetch(guessed);
startColorMode();

