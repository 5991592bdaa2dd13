/**
 * The instant a local day starts in an IANA zone, for the audit log's date filters (the resolver
 * takes epoch milliseconds). Intl gives the zone's offset at an instant; two rounds settle it even
 * across a DST change, and a day that starts inside a gap starts at the gap's end.
 */
function offsetMs(epochMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** Epoch ms of 00:00 of `date` (YYYY-MM-DD) in `zone`. */
export function startOfLocalDay(date: string, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - offsetMs(wall, zone);
  const second = wall - offsetMs(first, zone);
  // They differ only when midnight falls in a DST change; the later one is when the clock first reads the new day.
  return Math.max(first, second);
}
