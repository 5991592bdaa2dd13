#!/usr/bin/env node
// Placeholder until the local-runtime work lands: does nothing yet.
