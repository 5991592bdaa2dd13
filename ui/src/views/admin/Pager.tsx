/**
 * One page of a long list of people at a time: "Everyone" on a big site is thousands, and each
 * person shown costs resolver calls (and the bridge allows 500 in 25 s). Shows nothing when the
 * list fits on one page.
 */
import Button from '@atlaskit/button/new';
import { Inline, Text } from '@atlaskit/primitives';

export const PEOPLE_PER_PAGE = 25;

/** The page's slice of `items`; a page past the end (the list shrank) shows the last page. */
export function pageOf<T>(items: readonly T[], page: number, size = PEOPLE_PER_PAGE): { items: readonly T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(p * size, (p + 1) * size), page: p, pages };
}

export function Pager({ total, page, onPage, what, testId, size = PEOPLE_PER_PAGE }: { total: number; page: number; onPage: (page: number) => void; what: string; testId: string; size?: number }) {
  if (total <= size) return null;
  const first = page * size + 1;
  const last = Math.min(total, (page + 1) * size);
  return (
    <nav aria-label={`Pages of ${what}`} data-testid={testId}>
      <Inline space="space.100" alignBlock="center">
        <Button onClick={() => onPage(page - 1)} isDisabled={page === 0}>
          Previous {size}
        </Button>
        <Text aria-live="polite">{`${what} ${first}–${last} of ${total}`}</Text>
        <Button onClick={() => onPage(page + 1)} isDisabled={last >= total}>
          {`Next ${Math.min(size, total - last) || size}`}
        </Button>
      </Inline>
    </nav>
  );
}
