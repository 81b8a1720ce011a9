import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './processes.ts';

/**
 * Kafka's own producer benchmark (org.apache.kafka.tools.ProducerPerformance, what
 * kafka-producer-perf-test.sh runs) from the jars infra/kafka provides. With --payload-file it
 * sends, for each record, a line of the file picked by `new SplittableRandom(0).nextInt(lines)`:
 * picks repeat. `picksOf` replays that sequence (java.util.SplittableRandom is a published,
 * fixed algorithm), so a test can lay out a file whose picked lines are distinct events and know
 * exactly what was sent; the test also reads the topic back with kcat to check it.
 */
const gamma = 0x9e3779b97f4a7c15n;
const mask64 = (1n << 64n) - 1n;

function mix32(z: bigint): number {
  z = ((z ^ (z >> 33n)) * 0x62a9d9ed799705f5n) & mask64;
  const r = (((z ^ (z >> 28n)) * 0xcb24d0a5c88c35b3n) & mask64) >> 32n;
  return Number(BigInt.asIntN(32, r));
}

/** the line indices ProducerPerformance picks for its first `records` records from a file of `lines` lines */
export function picksOf(lines: number, records: number): number[] {
  let seed = 0n;
  const nextInt = () => mix32((seed = (seed + gamma) & mask64));
  const out: number[] = [];
  const m = lines - 1;
  for (let i = 0; i < records; i++) {
    let r = nextInt();
    if ((lines & m) === 0) r &= m;
    else {
      // java.util.random.RandomSupport.boundedNextInt, in 32-bit arithmetic
      let u = r >>> 1;
      for (;;) {
        r = u % lines;
        if (((u + m - r) | 0) >= 0) break;
        u = nextInt() >>> 1;
      }
    }
    out.push(r);
  }
  return out;
}

/** the smallest file size ≥ `atLeast` lines whose first `records` picks are all different lines */
export function distinctPickFile(records: number, atLeast: number): { lines: number; picks: number[] } {
  for (let lines = atLeast; ; lines++) {
    const picks = picksOf(lines, records);
    if (new Set(picks).size === records) return { lines, picks };
  }
}

export function runProducerPerformance(args: { brokers: string; topic: string; records: number; payloadFile: string; compression: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', [join(repoRoot, 'infra/kafka/kafka.sh'), 'run-class', 'org.apache.kafka.tools.ProducerPerformance', '--topic', args.topic, '--num-records', String(args.records), '--throughput', '-1', '--payload-file', args.payloadFile, '--producer-props', `bootstrap.servers=${args.brokers}`, `compression.type=${args.compression}`, 'acks=all', 'linger.ms=5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`ProducerPerformance exited ${code}:\n${out.slice(-2000)}`))));
  });
}
