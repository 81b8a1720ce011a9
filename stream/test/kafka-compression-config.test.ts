import { expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

it('KAFKA_COMPRESSION takes the four Kafka codecs or none (the default), and refuses anything else by name', () => {
  expect(loadConfig({}).KAFKA_COMPRESSION).toBe('none');
  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) expect(loadConfig({ KAFKA_COMPRESSION: codec }).KAFKA_COMPRESSION).toBe(codec);
  // the flag overrides the environment
  expect(loadConfig({ KAFKA_COMPRESSION: 'gzip' }, { KAFKA_COMPRESSION: 'zstd' }).KAFKA_COMPRESSION).toBe('zstd');
  expect(() => loadConfig({ KAFKA_COMPRESSION: 'brotli' })).toThrow(/KAFKA_COMPRESSION/);
  expect(() => loadConfig({ KAFKA_COMPRESSION: 'ZSTD' })).toThrow(expect.objectContaining({ code: 'HD_CONFIG_INVALID' }));
});
