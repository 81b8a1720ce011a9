#!/usr/bin/env node
// Launcher: runs the TypeScript sources directly through tsx, so `npm install` is the only build step.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
