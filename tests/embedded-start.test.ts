import { expect, it } from 'vitest';
import { sql, startHaidang, tempDir } from './setup/processes.ts';

it('`haidang start` runs embedded (no Kafka, chDB), stores generated events and stops cleanly on SIGINT', async () => {
  const dataDir = tempDir('embedded');
  const svc = startHaidang(['start', '--rate', '50', '--port', '0'], { HAIDANG_DATA_DIR: dataDir, KAFKA_BROKERS: '', CLICKHOUSE_URL: '' });
  await svc.waitFor(/embedded mode/);
  await svc.waitFor(/"stored":[1-9]/, 60_000);
  svc.signal('SIGINT');
  const exit = await svc.exited;
  expect(exit.code).toBe(0);
  expect(svc.output()).toMatch(/stopped cleanly/);
  const rows = await sql(dataDir, "SELECT sum(n) AS n FROM (SELECT count() n FROM capacity_raw UNION ALL SELECT count() FROM vaccination_raw UNION ALL SELECT count() FROM prices_raw UNION ALL SELECT count() FROM dossiers_raw)");
  expect(Number(rows[0]!.n)).toBeGreaterThan(0);
});

it('`haidang start` stops cleanly on SIGTERM too', async () => {
  const svc = startHaidang(['start', '--rate', '10', '--port', '0'], { HAIDANG_DATA_DIR: tempDir('embedded-term'), KAFKA_BROKERS: '', CLICKHOUSE_URL: '' });
  await svc.waitFor(/is running/);
  svc.signal('SIGTERM');
  expect((await svc.exited).code).toBe(0);
});

it('a wrong setting stops start-up with its name', async () => {
  const svc = startHaidang(['start'], { HAIDANG_PARTITIONS: 'many', HAIDANG_DATA_DIR: tempDir('bad-config') });
  const exit = await svc.exited;
  expect(exit.code).toBe(2);
  expect(svc.output()).toMatch(/HAIDANG_PARTITIONS: must be a whole number/);
});
