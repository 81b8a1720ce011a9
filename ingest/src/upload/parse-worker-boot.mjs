// Worker entry: worker threads do not inherit tsx's loader, so register it here and load the
// TypeScript worker (the same way bin/haidang.mjs starts the command line).
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
