import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** infra/kafka/kafka.sh: the benches start their broker with it and run Kafka's perf tools through it */
export const kafkaScript = resolve(import.meta.dirname, '../infra/kafka/kafka.sh');

export interface BenchBroker {
  /** bootstrap address, `127.0.0.1:<port>` */
  brokers: string;
  /** the broker's process id (its peak RSS is a figure of the run) */
  pid(): number;
  /** stops the broker and removes its data; also runs when the bench exits, however it ends */
  stop(): void;
}

/** A real Kafka broker on loopback for one bench run (`heap`: KAFKA_HEAP, e.g. `-Xmx1g -Xms512m`). */
export function startBenchBroker(port: number, o: { heap?: string } = {}): BenchBroker {
  const dir = mkdtempSync(join(tmpdir(), 'haidang-bench-kafka-'));
  execFileSync('bash', [kafkaScript, 'start', String(port), dir], { stdio: ['ignore', 'inherit', 'inherit'], env: o.heap ? { ...process.env, KAFKA_HEAP: o.heap } : process.env });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync('bash', [kafkaScript, 'stop', dir], { stdio: 'ignore' });
    } catch {
      /* already stopped */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return { brokers: `127.0.0.1:${port}`, pid: () => Number(readFileSync(join(dir, 'broker.pid'), 'utf8').trim()), stop };
}
