import Button from '@atlaskit/button/new';
import { useState } from 'react';

/** Copies a text to the clipboard and says so; where the browser refuses, says to select and copy it. */
export function CopyButton({ text, what, testId }: { text: string; what: string; testId?: string }) {
  const [said, setSaid] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied');
    } catch {
      setSaid('This browser did not allow copying: select the text and copy it');
    }
  };
  return (
    <>
      <Button onClick={() => void copy()} {...(testId ? { testId } : {})}>
        Copy {what}
      </Button>
      <span role="status" aria-live="polite">
        {said}
      </span>
    </>
  );
}
