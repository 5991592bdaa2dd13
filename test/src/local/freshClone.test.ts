import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/**
 * The README's promise: on a fresh clone `npm start` is the first and only
 * command. This clones the repository's last commit (so nothing untracked or
 * generated in this checkout helps), gives the clone this checkout's
 * node_modules as hard links (installing from the registry takes about 90 s
 * and needs the network; tests may not use it), runs `npm start` there and
 * asks the page it serves (the UI it built) and the people it lists. It proves that the committed files are enough and
 * that bin/ensure-deps.mjs takes a clone's node_modules for current although
 * every file in the clone is newer; that ensure-deps runs `npm ci` when
 * node_modules is missing is proved in ensureDeps.test.ts.
 */
const root = join(import.meta.dirname, '../../..');

it('npm start works as the first command in a fresh clone', async () => {
  const began = Date.now();
  const clone = join(mkdtempSync(join(tmpdir(), 'worktime-clone-')), 'worktime');
  execFileSync('git', ['clone', '--quiet', root, clone]);
  execFileSync('cp', ['-al', join(root, 'node_modules'), join(clone, 'node_modules')]);

  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JIRA_') && !k.startsWith('WORKTIME_') && !k.startsWith('npm_')));
  const child = spawn('npm', ['start'], { cwd: clone, env: { ...env, PORT: '0' }, detached: true });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /running at (http:\/\/localhost:\d+)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before it served: ${stdout}${stderr}`)));
    });
    // The clone has no built UI (it is git-ignored): npm start builds it before serving it at /.
    const page = await (await fetch(url)).text();
    expect(page).toContain('<div id="root"></div>');
    expect(stdout).toContain('ui (local): dist/ui-local');
    const people = (await (await fetch(`${url}/api/people`)).json()) as { accountId: string; roles: string[] }[];
    expect(people.find((p) => p.accountId === '557058:demo-01')?.roles).toEqual(['HR admin']);
    expect(stdout).not.toContain('npm ci');
    console.log(`fresh clone: npm start served its page ${Date.now() - began} ms after git clone began`);
  } finally {
    // npm runs the runtime in a shell of its own: stop the whole process group.
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  }
}, 60_000);
