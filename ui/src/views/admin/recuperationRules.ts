/**
 * The recuperation rules as the Settings form edits them: a draft of text fields (hours as h:mm,
 * empty for none) and the rules it says, checked as the server checks them (domain/ledger.ts,
 * domain/overtimeCredit.ts) so a mistake is named in the form's words before anything is sent.
 */
import { parseHours, toHoursText } from './hoursInput';

export interface RecuperationRules {
  readonly capSeconds: number | null;
  readonly floorSeconds: number | null;
  readonly expiryMonths: number | null;
  readonly yearEndCarryOverLimitSeconds: number | null;
  readonly overtime: readonly { readonly per: 'day' | 'week'; readonly aboveSeconds: number; readonly factor: string }[];
}

export interface Draft {
  cap: string;
  floor: string;
  expiry: string;
  carryOver: string;
  overtime: { per: 'day' | 'week'; above: string; factor: string }[];
}

const hoursOrEmpty = (s: number | null) => (s === null ? '' : toHoursText(s));
export const toDraft = (r: RecuperationRules): Draft => ({
  cap: hoursOrEmpty(r.capSeconds),
  floor: hoursOrEmpty(r.floorSeconds),
  expiry: r.expiryMonths === null ? '' : String(r.expiryMonths),
  carryOver: hoursOrEmpty(r.yearEndCarryOverLimitSeconds),
  overtime: r.overtime.map((m) => ({ per: m.per, above: toHoursText(m.aboveSeconds), factor: m.factor })),
});

/** More multipliers than any contract needs; the server takes the same number. */
export const MAX_MULTIPLIERS = 10;
const MAX_ABOVE = { day: 24 * 3600, week: 7 * 24 * 3600 } as const;

/** The rules a draft says, or what is wrong with it: the first problem, in the form's words (hours, "Rule 1"). */
export function rulesFromDraft(d: Draft): { rules: RecuperationRules } | { problem: string } {
  const hours = (text: string, what: string): number | null | string => {
    if (text.trim() === '') return null;
    const s = parseHours(text);
    return s === null ? `Give the ${what} as hours:minutes, such as 40:00, or leave it empty for none.` : s;
  };
  const cap = hours(d.cap, 'cap');
  if (typeof cap === 'string') return { problem: cap };
  if (cap !== null && cap < 0) return { problem: 'The cap is the most a balance may hold: 0:00 or more, or empty for no cap.' };
  const floor = hours(d.floor, 'floor');
  if (typeof floor === 'string') return { problem: floor };
  if (floor !== null && floor > 0) return { problem: 'The floor is how far a balance may go below zero: write it with a minus, such as -10:00, or leave it empty.' };
  const carry = hours(d.carryOver, 'year-end carry-over limit');
  if (typeof carry === 'string') return { problem: carry };
  if (carry !== null && carry < 0) return { problem: 'The year-end carry-over limit is 0:00 or more, or empty for no limit.' };
  if (carry !== null && cap !== null && carry > cap) return { problem: 'The year-end carry-over limit is above the cap, so it could never apply: make it the cap or less.' };
  const expiry = d.expiry.trim();
  if (expiry !== '' && (!/^\d{1,4}$/.test(expiry) || Number(expiry) < 1 || Number(expiry) > 1200)) return { problem: 'Credits expire after a whole number of months from 1 to 1200, or never (empty).' };
  if (d.overtime.length > MAX_MULTIPLIERS) return { problem: `At most ${MAX_MULTIPLIERS} overtime multipliers.` };
  const overtime: RecuperationRules['overtime'][number][] = [];
  for (const [i, m] of d.overtime.entries()) {
    const rule = `Overtime rule ${i + 1}`;
    const above = parseHours(m.above);
    if (above === null || above < 0 || above > MAX_ABOVE[m.per]) return { problem: `${rule}: give the threshold as hours:minutes from 0:00 to ${m.per === 'day' ? '24:00 (a day)' : '168:00 (a week)'}, such as ${m.per === 'day' ? '9:00' : '40:00'}.` };
    const factor = m.factor.trim();
    if (!/^\d{1,2}(\.\d{1,6})?$/.test(factor) || Number(factor) < 1 || Number(factor) > 10) return { problem: `${rule}: the factor is a decimal from 1 to 10 with at most 6 decimals, such as 1.5 (below 1 would take time away).` };
    if (overtime.some((o) => o.per === m.per && o.aboveSeconds === above)) return { problem: `${rule}: another rule already starts above ${m.above.trim()} a ${m.per}; give each threshold once.` };
    overtime.push({ per: m.per, aboveSeconds: above, factor });
  }
  return { rules: { capSeconds: cap, floorSeconds: floor, expiryMonths: expiry === '' ? null : Number(expiry), yearEndCarryOverLimitSeconds: carry, overtime } };
}
