/**
 * Verify the audit chain — all of it or a range of seqs — and, with a checkpoint recorded earlier
 * (seq and hash, kept outside the app), that the log still extends it; show the result: the chain
 * holds, or the first broken link with its seq, reason and message. Record the current head as a
 * checkpoint to keep.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useId, useState } from 'react';
import { asResolverError, useClient } from '../../client/ClientContext';
import type { ResolverError } from '../../client/resolverClient';
import { ErrorState, LoadingState } from '../../states/States';
import type { Checkpoint, VerifyResult } from './auditAnswers';
import { CopyButton } from './CopyButton';

const REASONS: Record<string, string> = {
  'hash-mismatch': 'an entry was edited after it was written',
  'prev-hash-mismatch': 'an entry does not follow the one before it (removed, inserted or replaced)',
  'seq-gap': 'an entry is missing',
  'seq-not-increasing': 'entries are out of order',
  'malformed-entry': 'an entry is not a valid audit entry',
  'time-went-backwards': 'an entry is dated before the one before it',
  'head-mismatch': 'the log no longer extends the checkpoint (entries were cut off or rewritten)',
};

/** The payload for a form's fields, or what is wrong with them. */
export function verifyPayload(f: { fromSeq: string; toSeq: string; cpSeq: string; cpHash: string }): { payload: Record<string, unknown> } | { problem: string } {
  const payload: Record<string, unknown> = {};
  const whole = (v: string, name: string, min: number) => {
    if (v.trim() === '') return undefined;
    const n = Number(v.trim());
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}.`);
    return n;
  };
  try {
    const from = whole(f.fromSeq, 'From seq', 1);
    const to = whole(f.toSeq, 'To seq', 1);
    if (from !== undefined) payload.fromSeq = from;
    if (to !== undefined) payload.toSeq = to;
    if (from !== undefined && to !== undefined && to < from) return { problem: 'To seq is before From seq: choose a To seq on or after it.' };
    const cpSeq = whole(f.cpSeq, 'Checkpoint seq', 0);
    const cpHash = f.cpHash.trim().toLowerCase();
    if ((cpSeq === undefined) !== (cpHash === '')) return { problem: 'A checkpoint needs both its seq and its hash, as audit/checkpoint gave them; or leave both empty.' };
    if (cpSeq !== undefined) {
      if (!/^[0-9a-f]{64}$/.test(cpHash)) return { problem: 'A checkpoint hash is 64 hexadecimal characters; paste it as it was recorded.' };
      payload.checkpoint = { seq: cpSeq, hash: cpHash };
    }
  } catch (e) {
    return { problem: (e as Error).message };
  }
  return { payload };
}

export function VerifyPanel({ onResult }: { onResult: (r: VerifyResult | null) => void }) {
  const client = useClient();
  const ids = { from: useId(), to: useId(), cpSeq: useId(), cpHash: useId() };
  const [fields, setFields] = useState({ fromSeq: '', toSeq: '', cpSeq: '', cpHash: '' });
  const [result, setResult] = useState<{ verify: VerifyResult; checkpoint: boolean; range: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ResolverError | null>(null);
  const [head, setHead] = useState<Checkpoint | null>(null);
  const [headBusy, setHeadBusy] = useState(false);
  const [headError, setHeadError] = useState<ResolverError | null>(null);
  const checked = verifyPayload(fields);
  const set = (k: keyof typeof fields) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = e.currentTarget.value;
    setFields((f) => ({ ...f, [k]: value }));
  };

  const verify = async () => {
    if ('problem' in checked) return;
    setBusy(true);
    setError(null);
    try {
      // A long log is checked a window a call: follow continueFrom until the whole range is done.
      let verify: VerifyResult;
      let count = 0;
      let payload: Record<string, unknown> = { ...checked.payload };
      for (;;) {
        const part = await client.call<VerifyResult | (VerifyResult & { continueFrom: number })>('audit/verify', payload);
        if (!part.ok) {
          verify = part;
          break;
        }
        count += part.count;
        if (!('continueFrom' in part)) {
          verify = { ok: true, count, lastSeq: part.lastSeq, lastHash: part.lastHash };
          break;
        }
        // The entry before each window is read again to check the link; count it once.
        count -= 1;
        payload = { ...payload, fromSeq: part.continueFrom };
      }
      setResult({ verify, checkpoint: 'checkpoint' in checked.payload, range: 'fromSeq' in checked.payload || 'toSeq' in checked.payload });
      onResult(verify);
    } catch (e) {
      setError(asResolverError(e, 'audit/verify'));
    } finally {
      setBusy(false);
    }
  };
  const recordHead = async () => {
    setHeadBusy(true);
    setHeadError(null);
    try {
      setHead(await client.call<Checkpoint>('audit/checkpoint', {}));
    } catch (e) {
      setHeadError(asResolverError(e, 'audit/checkpoint'));
    } finally {
      setHeadBusy(false);
    }
  };

  return (
    <section aria-labelledby="verify-heading" className="wt-section">
      <Stack space="space.150">
        <Heading size="medium" as="h2" id="verify-heading">
          Verify the chain
        </Heading>
        <Text as="p">Each entry carries the hash of the one before, so an edited, removed, inserted or moved entry breaks the chain. Leave the fields empty to check the whole log; a checkpoint you recorded earlier also proves nothing was cut off its end.</Text>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void verify();
          }}
        >
          <Stack space="space.100">
            <Inline space="space.150" alignBlock="end" shouldWrap>
              <div className="wt-field">
                <label htmlFor={ids.from}>From seq (optional)</label>
                <Textfield id={ids.from} value={fields.fromSeq} onChange={set('fromSeq')} inputMode="numeric" width="small" testId="verify-from" />
              </div>
              <div className="wt-field">
                <label htmlFor={ids.to}>To seq (optional)</label>
                <Textfield id={ids.to} value={fields.toSeq} onChange={set('toSeq')} inputMode="numeric" width="small" testId="verify-to" />
              </div>
              <div className="wt-field">
                <label htmlFor={ids.cpSeq}>Checkpoint seq (optional)</label>
                <Textfield id={ids.cpSeq} value={fields.cpSeq} onChange={set('cpSeq')} inputMode="numeric" width="small" testId="verify-checkpoint-seq" />
              </div>
              <div className="wt-field">
                <label htmlFor={ids.cpHash}>Checkpoint hash (optional)</label>
                <Textfield id={ids.cpHash} value={fields.cpHash} onChange={set('cpHash')} width="xlarge" placeholder="64 hexadecimal characters" testId="verify-checkpoint-hash" />
              </div>
              <Button type="submit" appearance="primary" isDisabled={busy || 'problem' in checked} testId="verify-chain">
                {busy ? 'Verifying…' : 'Verify'}
              </Button>
            </Inline>
            {'problem' in checked ? (
              <Text as="p" color="color.text.warning">
                {checked.problem}
              </Text>
            ) : null}
          </Stack>
        </form>
        {busy ? <LoadingState what="the chain, page by page" /> : null}
        {error ? <ErrorState what="the chain's verification" error={error} onRetry={() => void verify()} /> : null}
        {result && !busy ? <VerifyOutcome {...result} /> : null}

        <Heading size="small" as="h3">
          Checkpoint
        </Heading>
        <Text as="p">Record the head of the chain now and keep it outside the app (a ticket, an email to yourself). Paste it above later to prove the log still extends it.</Text>
        <Inline space="space.100" alignBlock="center" shouldWrap>
          <Button onClick={() => void recordHead()} isDisabled={headBusy} testId="record-checkpoint">
            {headBusy ? 'Reading the head…' : 'Show the current head'}
          </Button>
        </Inline>
        {headError ? <ErrorState what="the chain's head" error={headError} onRetry={() => void recordHead()} /> : null}
        {head ? (
          <div data-testid="checkpoint">
            <Stack space="space.050">
              <Text as="p">
                Seq <strong data-testid="checkpoint-seq">{head.seq}</strong>, hash <span className="wt-hash" data-testid="checkpoint-hash">{head.hash}</span>
              </Text>
              <Inline space="space.100" alignBlock="center" shouldWrap>
                <CopyButton text={JSON.stringify(head)} what="checkpoint" testId="copy-checkpoint" />
                <Button appearance="subtle" onClick={() => setFields((f) => ({ ...f, cpSeq: String(head.seq), cpHash: head.hash }))}>
                  Use it in the form above
                </Button>
              </Inline>
            </Stack>
          </div>
        ) : null}
      </Stack>
    </section>
  );
}

function VerifyOutcome({ verify, checkpoint, range }: { verify: VerifyResult; checkpoint: boolean; range: boolean }) {
  if (verify.ok) {
    return (
      <div data-testid="verify-result" data-ok="true">
        <SectionMessage appearance="success" title="The chain holds">
          <Text as="p">
            {verify.count} {verify.count === 1 ? 'entry' : 'entries'} checked{range ? ' in the range asked' : ''}, up to seq {verify.lastSeq}; none was edited, removed, inserted or moved
            {checkpoint ? ', and the log still extends your checkpoint' : ''}.
          </Text>
          <Text as="p">
            Last hash: <span className="wt-hash">{verify.lastHash}</span>
          </Text>
        </SectionMessage>
      </div>
    );
  }
  return (
    <div data-testid="verify-result" data-ok="false" data-broken-seq={verify.brokenAt.seq ?? undefined}>
      <SectionMessage appearance="error" title={verify.brokenAt.seq === null ? 'The chain is broken: an entry is unreadable or missing' : `The chain is broken at seq ${verify.brokenAt.seq}`}>
        <Text as="p">
          <strong>{verify.reason}</strong>: {REASONS[verify.reason] ?? 'the entry does not hold'}.
        </Text>
        <Text as="p">{verify.message}</Text>
        <Text as="p">The log below marks that entry. Keep this result, and compare the entry with your backups or the checkpoint you recorded; tell your Jira admin.</Text>
      </SectionMessage>
    </div>
  );
}
