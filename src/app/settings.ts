import type { DayPolicy } from '../../domain/dayAssignment';
import type { HolidayType } from '../../domain/holidays';
import type { IsoWeekday } from '../../domain/localDate';
import type { KvStore } from '../ports';
import { keys } from './storageKeys';

/** Site-wide settings an HR admin chooses; stored under one key. */
export interface SiteSettings {
  /** The zone of people Jira gives no zone for. */
  readonly siteTimeZone: string;
  readonly dayPolicy: DayPolicy;
  readonly countedHolidayTypes: readonly HolidayType[];
  readonly weekStart: IsoWeekday;
}

export const DEFAULT_SETTINGS: SiteSettings = {
  siteTimeZone: 'UTC',
  dayPolicy: 'start-day',
  countedHolidayTypes: ['public'],
  weekStart: 1,
};

/** The site's settings, defaults filled in for anything never set. */
export async function loadSettings(kv: KvStore): Promise<SiteSettings> {
  const stored = await kv.get<Partial<SiteSettings>>(keys.settings);
  return { ...DEFAULT_SETTINGS, ...(stored ?? {}) };
}
