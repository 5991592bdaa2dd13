/**
 * What every admin form shares: the refusal and success lines of a change (its call is
 * client/useAction), and labelled native controls styled with design tokens (admin.css).
 */
import SectionMessage from '@atlaskit/section-message';
import { Stack, Text } from '@atlaskit/primitives';
import { useId, type ReactNode } from 'react';
import { UNREACHABLE, type ResolverError } from '../../client/resolverClient';

/** A refused or failed change: the resolver's message (it says what was wrong) and its code; nothing was changed. */
export function ActionError({ error, what }: { error: ResolverError | null; what: string }) {
  if (!error) return null;
  return (
    <SectionMessage appearance="error" title={`Could not ${what}`} testId="action-error">
      <Stack space="space.050">
        <Text as="p">{error.message}</Text>
        {/* The issues add what the message does not already say (it often names the first of them). */}
        {error.issues.filter((i) => !error.message.includes(i)).map((i) => (
          <Text as="p" key={i}>
            {i}
          </Text>
        ))}
        <Text as="p" size="small" color="color.text.subtle">
          {/* A call that got no answer may have been carried out: saying "nothing changed" would invite a second booking. */}
          {error.code === UNREACHABLE ? 'No answer came back, so this may or may not have been saved: reload and look before trying again.' : 'Nothing was changed.'} Error code {error.code} from {error.resolver}.
        </Text>
      </Stack>
    </SectionMessage>
  );
}

/** A success line that screen readers announce. */
export function Done({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <SectionMessage appearance="success" testId={testId}>
      <Text as="p">{children}</Text>
    </SectionMessage>
  );
}

/** A label above a control; `render` receives the id to put on the control. */
export function Field({ label, children, hint }: { label: string; hint?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="wt-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint ? <span className="wt-hint">{hint}</span> : null}
    </div>
  );
}

/** A labelled native select with the app's token styles. */
export function SelectField({ label, value, onChange, options, testId, hint }: { label: string; value: string; onChange: (v: string) => void; options: readonly { value: string; label: string }[]; testId?: string; hint?: string }) {
  return (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(id) => (
        <select id={id} className="wt-select" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A labelled text input (native, token-styled, so forms stay light in this lazily loaded view). */
export function TextField({ label, value, onChange, onBlur, testId, hint, type = 'text', width, inputMode, autoFocus }: { label: string; value: string; onChange: (v: string) => void; onBlur?: () => void; testId?: string; hint?: string; type?: 'text' | 'date' | 'number' | 'month'; width?: string; inputMode?: 'numeric'; autoFocus?: boolean }) {
  return (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(id) => <input id={id} type={type} inputMode={inputMode} className="wt-input" value={value} onChange={(e) => onChange(e.target.value)} onBlur={onBlur} autoFocus={autoFocus} data-testid={testId} style={width ? { width } : undefined} />}
    </Field>
  );
}

/** A labelled checkbox; `hideLabel` keeps the label for screen readers only (a table row already names the person). */
export function CheckboxField({ label, checked, onChange, testId, hideLabel = false }: { label: string; checked: boolean; onChange: (v: boolean) => void; testId?: string; hideLabel?: boolean }) {
  const id = useId();
  return (
    <span className="wt-check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      <label htmlFor={id} className={hideLabel ? 'wt-visually-hidden' : undefined}>
        {label}
      </label>
    </span>
  );
}
