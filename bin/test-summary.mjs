#!/usr/bin/env node
// Prints the plain closing line CI reads ("tests: N passed, N failed"), from vitest's JSON results.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-results.json';
const results = JSON.parse(readFileSync(file, 'utf8'));
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = results.numFailedTests > 0 || results.numPassedTests === 0 ? 1 : 0;
