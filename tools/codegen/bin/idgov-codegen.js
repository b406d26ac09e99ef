#!/usr/bin/env node
// Runs the generator from its TypeScript source: it is a private tool, never published.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
