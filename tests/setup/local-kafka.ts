import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Running } from './containers.ts';
import { freePortBlock } from './ports.ts';

const script = resolve(import.meta.dirname, '../../infra/kafka/kafka.sh');

/**
 * Starts one real Apache Kafka broker (KRaft, jars from Maven Central) on loopback through
 * infra/kafka/kafka.sh: the integration suite's broker on machines without a Docker engine.
 */
export async function startLocalKafka(): Promise<Running> {
  // two free ports in a row: broker and controller
  const port = await freePortBlock(2);
  const dir = mkdtempSync(join(tmpdir(), 'haidang-kafka-'));
  const t0 = Date.now();
  execFileSync('bash', [script, 'start', String(port), dir], { stdio: ['ignore', 'inherit', 'inherit'] });
  process.stderr.write(`test broker on 127.0.0.1:${port} ready in ${Date.now() - t0} ms\n`);
  return {
    address: `127.0.0.1:${port}`,
    stop: async () => {
      execFileSync('bash', [script, 'stop', dir], { stdio: 'inherit' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
