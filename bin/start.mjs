#!/usr/bin/env node
// `npm start` will run the local runtime (an HTTP server with the resolvers and
// demo data); that runtime is the next piece of work. Until it exists, say so
// plainly and point at what works today instead of pretending.
console.log(`Worktime engine: the local runtime behind \`npm start\` is not yet available.

What works today:
  bin/worktime days   --input examples/team.json --policy split
  bin/worktime report --input examples/team.json --from 2026-12-01 --to 2026-12-31 --format text
  npm test     type-check and every test
  npm run bench

See README.md and docs/cli.md.`);
