import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Running } from './containers.ts';

const script = resolve(import.meta.dirname, '../../infra/kafka/kafka.sh');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

/**
 * Starts one real Apache Kafka broker (KRaft, jars from Maven Central) on loopback through
 * infra/kafka/kafka.sh: the integration suite's broker on machines without a Docker engine.
 */
export async function startLocalKafka(): Promise<Running> {
  // two free ports in a row: broker and controller
  let port = await freePort();
  while (port > 65000) port = await freePort();
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
