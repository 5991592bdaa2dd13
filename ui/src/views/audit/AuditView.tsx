/**
 * Audit: for auditors and Jira admins. Verify the audit log's hash chain (all of it, a range, or
 * against a recorded checkpoint) and see the first broken link named; record the chain's head;
 * read the log with filters and paging; and open locked snapshots with their hash and check.
 */
import Heading from '@atlaskit/heading';
import { Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import type { Settings } from '../../client/answers';
import { useResolver } from '../../client/ClientContext';
import { browserZone, isKnownZone } from '../../format/dates';
import { userLocale } from '../../format/locale';
import { usePersonNames } from '../../format/personNames';
import type { ViewProps } from '../../shell/views';
import { makeFmt } from '../myPeriod/fmt';
import '../team/team.css';
import { AuditLog } from './AuditLog';
import type { VerifyResult } from './auditAnswers';
import { SnapshotViewer } from './SnapshotViewer';
import { VerifyPanel } from './VerifyPanel';

export function AuditView({ identity }: ViewProps) {
  const locale = userLocale();
  const names = usePersonNames();
  const settings = useResolver<Settings>('settings/get', {}, 'settings');
  const zone = identity.timeZone && isKnownZone(identity.timeZone) ? identity.timeZone : settings.state === 'done' ? settings.data.siteTimeZone : browserZone();
  const fmt = makeFmt(locale, settings.state === 'done' ? settings.data.rounding : 'nearest-minute');
  const [verified, setVerified] = useState<VerifyResult | null>(null);
  return (
    <Stack space="space.300">
      <Stack space="space.100">
        <Heading size="large" as="h2">
          Audit
        </Heading>
        <Text as="p" color="color.text.subtle">
          Every administrative change is in a tamper-evident log; reading it changes nothing.
        </Text>
      </Stack>
      <VerifyPanel onResult={setVerified} />
      <AuditLog zone={zone} names={names} locale={locale} brokenSeq={verified && !verified.ok ? verified.brokenAt.seq : null} />
      <SnapshotViewer zone={zone} names={names} fmt={fmt} />
    </Stack>
  );
}
