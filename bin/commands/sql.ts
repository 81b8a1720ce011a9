import { errorOf, oneLine, openStore, storeOptionsFrom } from '@haidang/stream';
import { configFrom } from './flags.ts';

/** `haidang sql "<query>"`: run one query on the store and print JSON lines (handy for checks and tests). */
export async function runSql(query: string, flags: Record<string, unknown>): Promise<void> {
  const config = configFrom(flags);
  const store = await openStore(storeOptionsFrom(config));
  try {
    const rs = await store.client.query({ query, format: 'JSONEachRow' });
    for (const row of await rs.json()) process.stdout.write(`${JSON.stringify(row)}\n`);
  } catch (e) {
    process.stderr.write(`haidang: ${oneLine(errorOf(e))}\n`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}
