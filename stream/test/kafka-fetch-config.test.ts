import { expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

it('KAFKA_FETCH_MIB_PER_PARTITION is 4 MiB unless set, takes 1–256, and refuses anything else by name', () => {
  expect(loadConfig({}).KAFKA_FETCH_MIB_PER_PARTITION).toBe(4);
  expect(loadConfig({ KAFKA_FETCH_MIB_PER_PARTITION: '24' }).KAFKA_FETCH_MIB_PER_PARTITION).toBe(24);
  for (const bad of ['0', '257', '1.5', 'lots']) expect(() => loadConfig({ KAFKA_FETCH_MIB_PER_PARTITION: bad })).toThrow(/KAFKA_FETCH_MIB_PER_PARTITION/);
  expect(() => loadConfig({ KAFKA_FETCH_MIB_PER_PARTITION: '0' })).toThrow(expect.objectContaining({ code: 'HD_CONFIG_INVALID' }));
});

it('KAFKA_FETCH_MIB (one fetch, all partitions together) is unset unless set, takes 1–1024, and refuses anything else by name', () => {
  expect(loadConfig({}).KAFKA_FETCH_MIB).toBeUndefined();
  expect(loadConfig({ KAFKA_FETCH_MIB: '8' }).KAFKA_FETCH_MIB).toBe(8);
  for (const bad of ['0', '1025', '2.5', 'all']) expect(() => loadConfig({ KAFKA_FETCH_MIB: bad })).toThrow(/KAFKA_FETCH_MIB/);
});
