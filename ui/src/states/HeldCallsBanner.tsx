import SectionMessage from '@atlaskit/section-message';
import { Text } from '@atlaskit/primitives';
import { useSyncExternalStore } from 'react';
import type { HeldCalls } from '../client/heldCalls';

/** Says why the page is slow while requests wait for Jira's limit (a big team loads hundreds), instead of leaving only "Loading…". */
export function HeldCallsBanner({ held }: { held: HeldCalls }) {
  const waiting = useSyncExternalStore(held.subscribe, held.get);
  if (waiting === 0) return null;
  return (
    <SectionMessage appearance="information" title="Waiting for Jira's limit" testId="held-calls">
      <Text as="p">{`${waiting} ${waiting === 1 ? 'request waits' : 'requests wait'} their turn: Jira lets a page make 500 in 25 seconds. They go on by themselves; nothing is lost. Stopping a long load (such as a big team's) frees the way for the rest.`}</Text>
    </SectionMessage>
  );
}
