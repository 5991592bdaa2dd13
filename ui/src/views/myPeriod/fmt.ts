import { formatDuration, type RoundingPolicy } from '../../format/duration';
import { formatLocalDate } from '../../format/dates';

/** The formatters one view uses, bound to the reader's locale and the site's rounding. */
export interface Fmt {
  readonly locale: string | undefined;
  duration(seconds: number): string;
  signed(seconds: number): string;
  date(date: string): string;
}

export function makeFmt(locale: string | undefined, rounding: RoundingPolicy): Fmt {
  return {
    locale,
    duration: (s) => formatDuration(s, { locale, rounding }),
    signed: (s) => formatDuration(s, { locale, rounding, signed: true }),
    date: (d) => formatLocalDate(d, locale),
  };
}
