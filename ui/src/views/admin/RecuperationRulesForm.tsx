/**
 * The site's recuperation rules (ledger/rules): cap, floor, expiry of credits, year-end carry-over
 * limit and overtime multipliers, edited as hours and saved together. An empty field means "none".
 * The server checks them again (INVALID_POLICY names a rule that cannot be right) and audits the save.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import { useResolver } from '../../client/ClientContext';
import { useAction } from '../../client/useAction';
import { ErrorState, LoadingState } from '../../states/States';
import { ActionError, Done, SelectField, TextField } from './action';
import { MAX_MULTIPLIERS, rulesFromDraft, toDraft, type Draft, type RecuperationRules } from './recuperationRules';

export function RecuperationRulesForm({ canEdit }: { canEdit: boolean }) {
  const loaded = useResolver<RecuperationRules>('ledger/rules', {}, 'rules');
  const [draft, setDraft] = useState<Draft | null>(null);
  const save = useAction();
  const [saved, setSaved] = useState(false);
  if (loaded.state === 'loading') return <LoadingState what="the recuperation rules" />;
  if (loaded.state === 'error') return <ErrorState what="the recuperation rules" error={loaded.error} onRetry={loaded.reload} />;
  const d = draft ?? toDraft(loaded.data);
  const change = (next: Partial<Draft>) => {
    setSaved(false);
    save.clear();
    setDraft({ ...d, ...next });
  };
  const parsed = rulesFromDraft(d);
  // Changed is what the person edited: rules with stray seconds (set through the resolver) show rounded to
  // the minute, and must not count as an edit nor be saved rounded without one.
  const changed = draft !== null && 'rules' in parsed && JSON.stringify(draft) !== JSON.stringify(toDraft(loaded.data));
  return (
    <form
      aria-labelledby="rules-heading"
      className="wt-section"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!('rules' in parsed) || !changed) return;
        if (await save.run('ledger/rules', { rules: parsed.rules })) {
          setSaved(true);
          setDraft(null);
          loaded.reload();
        }
      }}
    >
      <Stack space="space.150">
        <Heading size="small" as="h4" id="rules-heading">
          Recuperation rules
        </Heading>
        <Text as="p">What happens to time off in lieu when a period is locked. Empty means none. Changes apply when periods are locked from now on.</Text>
        <div className="wt-form">
          <TextField label="Cap (most a balance may hold)" value={d.cap} onChange={(v) => change({ cap: v })} testId="rules-cap" width="8rem" />
          <TextField label="Floor (most a person may owe, e.g. -10:00)" value={d.floor} onChange={(v) => change({ floor: v })} testId="rules-floor" width="8rem" />
          <TextField label="Credits expire after (months)" value={d.expiry} onChange={(v) => change({ expiry: v })} testId="rules-expiry" width="6rem" inputMode="numeric" />
          <TextField label="Year-end carry-over limit" value={d.carryOver} onChange={(v) => change({ carryOver: v })} testId="rules-carry-over" width="8rem" />
        </div>
        <fieldset className="wt-fieldset">
          <legend className="wt-hint">Overtime multipliers: worked time above a threshold counts more</legend>
          <Stack space="space.100">
            {d.overtime.length === 0 ? <Text color="color.text.subtle">None: overtime counts one for one.</Text> : null}
            {d.overtime.map((m, i) => (
              <Inline key={i} space="space.100" alignBlock="end" shouldWrap>
                <SelectField label={`Rule ${i + 1}: per`} value={m.per} onChange={(v) => change({ overtime: d.overtime.map((x, j) => (j === i ? { ...x, per: v as 'day' | 'week' } : x)) })} options={[{ value: 'day', label: 'Day' }, { value: 'week', label: 'Week' }]} />
                <TextField label="Above (hours)" value={m.above} onChange={(v) => change({ overtime: d.overtime.map((x, j) => (j === i ? { ...x, above: v } : x)) })} width="7rem" />
                <TextField label="Factor" value={m.factor} onChange={(v) => change({ overtime: d.overtime.map((x, j) => (j === i ? { ...x, factor: v } : x)) })} width="5rem" />
                <Button appearance="subtle" onClick={() => change({ overtime: d.overtime.filter((_, j) => j !== i) })}>
                  Remove<span className="wt-visually-hidden"> rule {i + 1}</span>
                </Button>
              </Inline>
            ))}
            <div>
              <Button onClick={() => change({ overtime: [...d.overtime, { per: 'day', above: '9:00', factor: '1.5' }] })} isDisabled={!canEdit || d.overtime.length >= MAX_MULTIPLIERS}>
                Add a multiplier
              </Button>
            </div>
          </Stack>
        </fieldset>
        {'problem' in parsed ? <Text color="color.text.warning">{parsed.problem}</Text> : null}
        {canEdit ? (
          <Inline space="space.100">
            <Button type="submit" appearance="primary" isDisabled={!changed || save.busy} testId="rules-save">
              Save the rules
            </Button>
            <Button onClick={() => (setDraft(null), save.clear())} isDisabled={draft === null}>
              Undo changes
            </Button>
          </Inline>
        ) : (
          <Text as="p">Only HR admins and Jira admins change these.</Text>
        )}
        {saved ? <Done testId="rules-saved">Recuperation rules saved; periods locked from now on follow them.</Done> : null}
        <ActionError error={save.error} what="save the recuperation rules" />
      </Stack>
    </form>
  );
}
