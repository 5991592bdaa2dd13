/** The reader's locale for numbers, durations and dates: the browser's first choice (Jira's iframe passes the same). */
export function userLocale(): string | undefined {
  return typeof navigator !== 'undefined' ? navigator.languages?.[0] ?? navigator.language : undefined;
}
