/**
 * What every admin form shares: a resolver call that changes something, with its busy state, its
 * error shown where the form is, and what the call answered; and labelled native controls styled
 * with design tokens (admin.css).
 */
import SectionMessage from '@atlaskit/section-message';
import { Stack, Text } from '@atlaskit/primitives';
import { useCallback, useId, useRef, useState, type ReactNode } from 'react';
import { asResolverError, useClient } from '../../client/ClientContext';
import type { ResolverError } from '../../client/resolverClient';

export interface Action {
  readonly busy: boolean;
  readonly error: ResolverError | null;
  run<T>(name: string, payload: Record<string, unknown>): Promise<T | undefined>;
  clear(): void;
}

/**
 * Runs one call at a time; resolves with the answer, or undefined after showing the error. A call
 * asked for while one runs is dropped: the in-flight flag is a ref, set synchronously, because two
 * clicks in the same task both see `busy` false (React has not re-rendered between them) and would
 * send a write twice.
 */
export function useAction(): Action {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ResolverError | null>(null);
  const inFlight = useRef(false);
  const run = useCallback(
    async <T,>(name: string, payload: Record<string, unknown>): Promise<T | undefined> => {
      if (inFlight.current) return undefined;
      inFlight.current = true;
      setBusy(true);
      setError(null);
      try {
        return await client.call<T>(name, payload);
      } catch (e) {
        setError(asResolverError(e, name));
        return undefined;
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
    [client],
  );
  return { busy, error, run, clear: useCallback(() => setError(null), []) };
}

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
          Nothing was changed. Error code {error.code} from {error.resolver}.
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
