/**
 * The three states every view shows while it is not showing data: loading, nothing to show, and
 * failed. Each says what is happening and what the person can do next.
 */
import Button from '@atlaskit/button/new';
import ProgressBar from '@atlaskit/progress-bar';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import type { ReactNode } from 'react';
import type { ResolverError } from '../client/resolverClient';

/** A short wait: a spinner and what is being loaded. */
export function LoadingState({ what }: { what: string }) {
  return (
    <Box role="status" aria-live="polite" padding="space.200">
      <Inline space="space.100" alignBlock="center">
        <Spinner size="medium" label={`Loading ${what}`} />
        <Text>Loading {what}…</Text>
      </Inline>
    </Box>
  );
}

/** A long job: a progress bar with how far it is, or an indeterminate bar while the total is unknown. */
export function ProgressState({ label, done, total }: { label: string; done: number; total: number | null }) {
  const known = total !== null && total > 0;
  return (
    <Stack space="space.100">
      <Text>
        {label}
        {known ? ` — ${done.toLocaleString()} of ${total.toLocaleString()}` : '…'}
      </Text>
      <ProgressBar ariaLabel={label} {...(known ? { value: Math.min(1, done / total) } : { isIndeterminate: true })} />
    </Stack>
  );
}

/** Nothing to show: says why, and what would make something appear. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <SectionMessage appearance="information" title={title}>
      <Text as="p">{children}</Text>
    </SectionMessage>
  );
}

/** What the person can do about an error code: the resolver's message says what was wrong; this, what next. */
function nextStep(code: string): string {
  switch (code) {
    case 'FORBIDDEN':
      return 'Your roles do not allow this. Ask your Jira admin or HR admin if you need it.';
    case 'UNAUTHENTICATED':
      return 'Sign in to Jira again, then reload this page.';
    case 'ROLES_UNAVAILABLE':
    case 'RATE_LIMITED':
    case 'LEDGER_CONTENDED':
    case 'AUDIT_CONTENDED':
      return 'This is temporary: try again in a minute.';
    case 'PERSON_NOT_FOUND':
      return 'Jira does not know this account. Ask your Jira admin to check it.';
    case 'UNREACHABLE':
      return 'Check your connection, then try again.';
    case 'INTERNAL':
      return 'Something failed on our side and was logged. Try again; if it keeps failing, tell your Jira admin.';
    default:
      return 'Change what you asked for and try again.';
  }
}

/** A failed call: the resolver's message, what to do next, and a retry. */
/** A call that failed: what it was about (`what`: "Could not load …", or a `title` for a call that changes something), why, and what to do. */
export function ErrorState({ what, error, onRetry, title }: { what: string; error: ResolverError; onRetry?: () => void; title?: string }) {
  return (
    <SectionMessage
      appearance="error"
      title={title ?? `Could not load ${what}`}
      actions={onRetry ? [<SectionMessageAction key="retry" onClick={onRetry}>Try again</SectionMessageAction>] : []}
    >
      <Stack space="space.050">
        <Text as="p">{error.message}</Text>
        <Text as="p">{nextStep(error.code)}</Text>
        <Text as="p" size="small" color="color.text.subtle">
          Error code {error.code} from {error.resolver}.
        </Text>
      </Stack>
    </SectionMessage>
  );
}

/** A button that retries; for places that show an error inline. */
export function RetryButton({ onClick }: { onClick: () => void }) {
  return <Button onClick={onClick}>Try again</Button>;
}
