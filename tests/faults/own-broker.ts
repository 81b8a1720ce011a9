import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { repoRoot, tempDir } from '../setup/processes.ts';
import { freePortBlock } from '../setup/ports.ts';
import { faultSuite } from './cluster.ts';

const kafkaSh = join(repoRoot, 'infra/kafka/kafka.sh');

/**
 * A Kafka broker of a test's own (infra/kafka/kafka.sh), for the tests that kill it, so the
 * suite's shared broker is not disturbed: started and restarted on the same port and data
 * folder, SIGKILLed by pid, stopped and removed after the file's tests.
 */
export async function ownBroker(name: string) {
  const dir = tempDir(name);
  const broker = (...args: string[]) => execFileSync('bash', [kafkaSh, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  // the controller takes port + 1; both stay free while the broker is down between kill and start
  const port = await freePortBlock(2);
  afterAll(() => {
    broker('stop', dir);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    suite: faultSuite(`127.0.0.1:${port}`),
    start: () => broker('start', String(port), dir),
    kill: () => process.kill(Number(readFileSync(join(dir, 'broker.pid'), 'utf8')), 'SIGKILL'),
  };
}
