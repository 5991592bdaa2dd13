/**
 * The app shell: a header (app name, who is using it, and what the entry adds: in the local
 * runtime the acting-as picker and the theme switch; inside Jira nothing, the theme follows
 * Jira's), and one tab per view the person's roles open (ui/src/shell/views.ts).
 */
import Heading from '@atlaskit/heading';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import Lozenge from '@atlaskit/lozenge';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives';
import { Suspense, useState, type ReactNode } from 'react';
import { ROLE_LABELS, type Identity } from './identity';
import { viewsFor } from './views';
import { LoadingState } from '../states/States';

export function App({ identity, headerExtra }: { identity: Identity; headerExtra?: ReactNode }) {
  const views = viewsFor(identity);
  const [selected, setSelected] = useState(0);
  const index = Math.min(selected, views.length - 1);
  return (
    <Box padding="space.300" as="main">
      <Stack space="space.200">
        <Inline spread="space-between" alignBlock="center" shouldWrap space="space.200">
          <Stack space="space.050">
            <Heading size="large" as="h1">
              Worktime
            </Heading>
            <Inline space="space.100" alignBlock="center" shouldWrap>
              <Text>{identity.displayName}</Text>
              {[...identity.roles].map((r) => (
                <Lozenge key={r}>{ROLE_LABELS[r]}</Lozenge>
              ))}
            </Inline>
          </Stack>
          <Inline space="space.200" alignBlock="end" shouldWrap>
            {headerExtra}
          </Inline>
        </Inline>
        <Tabs id="worktime-views" selected={index} onChange={setSelected}>
          <TabList>
            {views.map((v) => (
              <Tab key={v.id} testId={`tab-${v.id}`}>
                {v.label}
              </Tab>
            ))}
          </TabList>
          {views.map((v, i) => (
            <TabPanel key={v.id} testId={`panel-${v.id}`}>
              <Box paddingBlockStart="space.200">
                {/* Only the selected view mounts, so a view loads its data when it is opened. */}
                {i === index ? (
                  <Suspense fallback={<LoadingState what={v.label} />}>
                    <v.component identity={identity} />
                  </Suspense>
                ) : null}
              </Box>
            </TabPanel>
          ))}
        </Tabs>
      </Stack>
    </Box>
  );
}
