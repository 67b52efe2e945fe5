#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `avf` works from a checkout with no build step.
require('tsx/cjs');
require('../src/cli/main.ts');
