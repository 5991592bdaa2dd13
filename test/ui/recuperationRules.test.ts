import { describe, expect, it } from 'vitest';
import { MAX_MULTIPLIERS, rulesFromDraft, toDraft, type Draft } from '../../ui/src/views/admin/recuperationRules';
import { MAX_MULTIPLIERS as SERVER_MAX_MULTIPLIERS } from '../../domain/overtimeCredit';
import { validateRecuperationRules } from '../../domain/ledger';

const H = 3600;
const draft = (over: Partial<Draft> = {}): Draft => ({ cap: '', floor: '', expiry: '', carryOver: '', overtime: [], ...over });
const rule = (per: 'day' | 'week', above: string, factor: string) => ({ per, above, factor });

describe('the recuperation rules form', () => {
  it.each([
    ['a negative cap', draft({ cap: '-10:00' }), 'The cap is the most a balance may hold: 0:00 or more, or empty for no cap.'],
    ['a floor above zero', draft({ floor: '10:00' }), 'The floor is how far a balance may go below zero: write it with a minus, such as -10:00, or leave it empty.'],
    ['a carry-over limit above the cap', draft({ cap: '40:00', carryOver: '50:00' }), 'The year-end carry-over limit is above the cap, so it could never apply: make it the cap or less.'],
    ['expiry 0', draft({ expiry: '0' }), 'Credits expire after a whole number of months from 1 to 1200, or never (empty).'],
    ['expiry 1201', draft({ expiry: '1201' }), 'Credits expire after a whole number of months from 1 to 1200, or never (empty).'],
    ['a factor below 1', draft({ overtime: [rule('day', '9:00', '0.5')] }), 'Overtime rule 1: the factor is a decimal from 1 to 10 with at most 6 decimals, such as 1.5 (below 1 would take time away).'],
    ['a factor of 11', draft({ overtime: [rule('day', '9:00', '11')] }), 'Overtime rule 1: the factor is a decimal from 1 to 10 with at most 6 decimals, such as 1.5 (below 1 would take time away).'],
    ['a daily threshold over 24 h', draft({ overtime: [rule('day', '25:00', '1.5')] }), 'Overtime rule 1: give the threshold as hours:minutes from 0:00 to 24:00 (a day), such as 9:00.'],
    ['the same threshold twice', draft({ overtime: [rule('day', '9:00', '1.5'), rule('day', '9:00', '2')] }), 'Overtime rule 2: another rule already starts above 9:00 a day; give each threshold once.'],
    ['hours that are not hours', draft({ cap: 'forty' }), 'Give the cap as hours:minutes, such as 40:00, or leave it empty for none.'],
  ])('names %s in the form’s words', (_what, d, problem) => {
    expect(rulesFromDraft(d)).toEqual({ problem });
  });

  it('offers as many multipliers as the server takes', () => {
    expect(MAX_MULTIPLIERS).toBe(SERVER_MAX_MULTIPLIERS);
  });

  it('turns a good draft into the rules the server takes', () => {
    const parsed = rulesFromDraft(draft({ cap: '40:00', floor: '-10:00', expiry: '6', carryOver: '20:00', overtime: [rule('day', '9:00', '1.5'), rule('week', '45:00', '2')] }));
    expect(parsed).toEqual({ rules: { capSeconds: 40 * H, floorSeconds: -10 * H, expiryMonths: 6, yearEndCarryOverLimitSeconds: 20 * H, overtime: [{ per: 'day', aboveSeconds: 9 * H, factor: '1.5' }, { per: 'week', aboveSeconds: 45 * H, factor: '2' }] } });
    if ('rules' in parsed) expect(validateRecuperationRules(parsed.rules)).toEqual(parsed.rules); // and the server agrees
  });

  it('reads rules back into the draft it would save unchanged', () => {
    const rules = { capSeconds: 40 * H, floorSeconds: null, expiryMonths: 12, yearEndCarryOverLimitSeconds: null, overtime: [{ per: 'day' as const, aboveSeconds: 9 * H, factor: '1.5' }] };
    expect(rulesFromDraft(toDraft(rules))).toEqual({ rules });
  });
});
