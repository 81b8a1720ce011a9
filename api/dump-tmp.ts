import { writeFileSync } from 'node:fs';
import pino from 'pino';
import { startTestApi } from './test/fixtures/test-api.ts';
const api = await startTestApi({ logger: pino({ level: 'error' }) });
const res = await api.app.inject({ method: 'GET', url: '/docs/json' });
writeFileSync('/tmp/edges/openapi.json', res.body);
await api.close();
