import { defaultPackDir, loadCityPack } from '@haidang/city';
import { createPollers, loadPollersConfig } from '@haidang/ingest';
import { configFrom } from './flags.ts';
import { exitOnSignalOrCrash, openPipeline } from './pipeline.ts';

/**
 * `haidang poll --config <file> [--once]`: the pollers of external systems over the same
 * pipeline as `start` (embedded: a publish resolves once stored). `--once` runs each poller
 * once, prints their health as JSON lines and exits non-zero if one failed.
 */
export async function runPoll(flags: Record<string, unknown>): Promise<void> {
  const file = String(flags.config);
  const pollersConfig = await loadPollersConfig(file); // before opening anything: a bad file stops here
  const pack = await loadCityPack(typeof flags.pack === 'string' ? flags.pack : defaultPackDir);
  const { config: _file, once: _once, pack: _pack, ...serviceFlags } = flags;
  const p = await openPipeline(configFrom(serviceFlags), 'poll');
  const pollers = await createPollers({ config: pollersConfig, pack, transport: p.transport, topics: p.topics, store: p.store.client, logger: p.logger });
  if (flags.once) {
    const ok = await pollers.runOnce();
    for (const h of pollers.health()) process.stdout.write(`${JSON.stringify(h)}\n`);
    await pollers.stop();
    await p.close();
    process.exit(ok ? 0 : 1);
  }
  pollers.start();
  p.logger.info({ pollers: pollersConfig.pollers.map((x) => x.name) }, `polling ${pollersConfig.pollers.length} external systems; Ctrl-C stops`);
  exitOnSignalOrCrash(p, () => pollers.stop());
}
