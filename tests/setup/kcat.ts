import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * kcat, librdkafka's command-line client (Debian's `kcat`, installed by scripts/deps/kcat.sh):
 * the producer and reader nobody here wrote.
 */

/** kcat -P: one message a line, `key|value`; -Z sends an empty key or value as null; headers on every message */
export async function kcatProduce(brokers: string, topic: string, codec: string, lines: Buffer[], headers: string[] = ['producer=kcat', `codec=${codec}`]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const p = spawn('kcat', ['-P', '-b', brokers, '-t', topic, '-z', codec, '-K', '|', '-Z', ...headers.flatMap((h) => ['-H', h])], { stdio: ['pipe', 'inherit', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 && !/fail|error/i.test(err) ? resolve() : reject(new Error(`kcat exited ${code}: ${err}`))));
    p.stdin.end(Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
  });
}

/** kcat -C: every value of a topic, from the start to its end now (null values left out) */
export async function kcatValues(brokers: string, topic: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('kcat', ['-C', '-b', brokers, '-t', topic, '-e', '-q', '-f', '%s\\n'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\n').filter(Boolean);
}
