/**
 * Durations as admins type them: "7:36", "7h 36m", "7.5" (hours) or "-0:30". Seconds are what the
 * resolvers take; the parse is strict so a typo is an error, never a silently wrong amount.
 */
export function parseHours(text: string): number | null {
  const t = text.trim().replace(',', '.');
  const sign = t.startsWith('-') || t.startsWith('−') ? -1 : 1;
  const body = t.replace(/^[-−+]/, '').trim();
  let m = /^(\d{1,5}):([0-5]\d)$/.exec(body);
  if (m) return sign * (Number(m[1]) * 3600 + Number(m[2]) * 60);
  m = /^(?:(\d{1,5})\s*h)?\s*(?:(\d{1,4})\s*m(?:in)?)?$/.exec(body);
  if (m && (m[1] !== undefined || m[2] !== undefined)) return sign * (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60);
  m = /^(\d{1,5}(?:\.\d{1,4})?)$/.exec(body);
  if (m) return sign * Math.round(Number(m[1]) * 3600);
  return null;
}

/** Seconds as "h:mm" for an input's starting value (whole minutes; the seconds stay exact in the resolver). */
export function toHoursText(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const minutes = Math.round(Math.abs(seconds) / 60);
  return `${sign}${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
