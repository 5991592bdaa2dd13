import { privacy } from '@forge/api';
import type { PersonalDataReporter } from '../app/privacy';

const MAX_ATTEMPTS = 4;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Atlassian's personal data reporting through @forge/api. Called with at most 90 accounts at a time
 * (src/app/privacy.ts batches them), so @forge/api sends one request per call. A 429 is waited out as
 * its Retry-After says (at most a minute), a few times; any other refusal is thrown with its status.
 */
export function forgePersonalDataReporter(deadline: number): PersonalDataReporter {
  return {
    async report(accounts) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await privacy.reportPersonalData([...accounts]);
        } catch (e) {
          const response = e as { status?: number; headers?: { get(name: string): string | null } };
          if (response.status !== 429 || attempt >= MAX_ATTEMPTS) {
            throw new Error(`personal data reporting answered ${response.status ?? String(e)}; the next weekly run reports again`);
          }
          const seconds = Number(response.headers?.get('Retry-After') ?? '10');
          const waitMs = Math.min(60, Number.isFinite(seconds) && seconds > 0 ? seconds : 10) * 1000;
          // Never past the function's time: the next weekly run reports again.
          if (Date.now() + waitMs >= deadline) throw new Error('personal data reporting asked to slow down past this run\'s time; the next weekly run reports again');
          await sleep(waitMs);
        }
      }
    },
  };
}
