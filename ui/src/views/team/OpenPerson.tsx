/**
 * Open anyone's period by account id: for HR admins and auditors, who may see people in no team,
 * and for a lead whose team list cannot be read. The server decides whether the reader may.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useId, useState } from 'react';

const ACCOUNT_ID = /^[A-Za-z0-9:_-]{1,128}$/;

export function OpenPerson({ onOpen }: { onOpen: (accountId: string) => void }) {
  const id = useId();
  const [value, setValue] = useState('');
  const trimmed = value.trim();
  const problem = trimmed === '' ? null : ACCOUNT_ID.test(trimmed) ? null : 'An account id has letters, digits, ":", "_" and "-" only, at most 128 characters.';
  return (
    <section aria-labelledby={`${id}-heading`} className="wt-section">
      <Stack space="space.100">
        <Heading size="small" as="h2" id={`${id}-heading`}>
          Open a person by account id
        </Heading>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (trimmed !== '' && problem === null) onOpen(trimmed);
          }}
        >
          <Inline space="space.100" alignBlock="end" shouldWrap>
            <div className="wt-field">
              <label htmlFor={id}>Atlassian account id</label>
              <Textfield id={id} value={value} onChange={(e) => setValue(e.currentTarget.value)} placeholder="557058:…" testId="open-person-id" />
            </div>
            <Button type="submit" isDisabled={trimmed === '' || problem !== null} testId="open-person-submit">
              Open
            </Button>
          </Inline>
        </form>
        {problem ? (
          <Text as="p" color="color.text.warning">
            {problem}
          </Text>
        ) : null}
      </Stack>
    </section>
  );
}
