import { MS_PER_DAY } from '../localDate';
import { offsetMsAt } from '../zoneOffsets';

/**
 * The wall-clock time `HH:mm:ss` shown in `zone` at instant `ms`. An instant
 * that ends a local day (`endOfDay`) is written 24:00:00, so "until midnight"
 * never reads as the start of the same day.
 */
export function wallTime(zone: string, ms: number, endOfDay = false): string {
  if (endOfDay) return '24:00:00';
  const local = ms + offsetMsAt(zone, ms);
  const ofDay = ((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  const s = Math.floor(ofDay / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
