import type { DayPolicy } from '../../domain/dayAssignment';
import type { HolidayType } from '../../domain/holidays';
import type { IsoWeekday } from '../../domain/localDate';
import type { RoundingPolicy } from '../../domain/rounding';
import type { KvStore } from '../ports';
import { keys } from './storageKeys';

/** Site-wide settings an HR admin chooses; stored under one key. */
export interface SiteSettings {
  /** The zone of people Jira gives no zone for. */
  readonly siteTimeZone: string;
  readonly dayPolicy: DayPolicy;
  readonly countedHolidayTypes: readonly HolidayType[];
  readonly weekStart: IsoWeekday;
  /** Where holidays are imported from: `offline` (bundled data, no egress) or `nager-date` (the Nager.Date API). */
  readonly holidayProvider: 'offline' | 'nager-date';
  /** Submit → approve or reject → lock; without it HR admins lock directly. */
  readonly approvalWorkflow: boolean;
  /** How durations are shown (domain/rounding.ts); reports always count exact seconds. */
  readonly rounding: RoundingPolicy;
}

export const DEFAULT_SETTINGS: SiteSettings = {
  siteTimeZone: 'UTC',
  dayPolicy: 'start-day',
  countedHolidayTypes: ['public'],
  weekStart: 1,
  holidayProvider: 'offline',
  approvalWorkflow: false,
  rounding: 'nearest-minute',
};

/** The site's settings, defaults filled in for anything never set. */
export async function loadSettings(kv: KvStore): Promise<SiteSettings> {
  return withDefaults(await kv.get<Partial<SiteSettings>>(keys.settings));
}

/** Stored settings (only those ever set) with the defaults filled in. */
export const withDefaults = (stored: Partial<SiteSettings> | undefined): SiteSettings => ({ ...DEFAULT_SETTINGS, ...(stored ?? {}) });
