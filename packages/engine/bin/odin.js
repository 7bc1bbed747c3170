#!/usr/bin/env node
// The `odin` command: runs the TypeScript CLI through tsx's loader, so a fresh `npm ci` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
