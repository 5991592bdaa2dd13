import fc from 'fast-check';

/** Zones chosen for what goes wrong in them: DST both hemispheres, odd offsets, 30-min DST, midnight DST. */
export const TRICKY_ZONES = [
  'UTC',
  'Europe/Brussels',
  'America/New_York',
  'America/Sao_Paulo',
  'America/Santiago',
  'America/Havana',
  'America/St_Johns',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Asia/Beirut',
] as const;

export const zoneArb = fc.constantFrom(...TRICKY_ZONES);

/** Instants from 2015 to 2030, second precision (Jira's), biased towards nothing. */
export const instantArb = fc
  .integer({ min: Date.UTC(2015, 0, 1) / 1000, max: Date.UTC(2030, 11, 31) / 1000 })
  .map((s) => s * 1000);
