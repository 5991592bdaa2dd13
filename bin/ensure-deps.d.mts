// Types for ensure-deps.mjs, which the tests import (test/src/local/ensureDeps.test.ts).

/** Whether a project directory needs `npm ci`, and why, in words for the person who ran `npm start` or `npm test`. */
export function installNeed(root: string): { install: boolean; reason: string };
