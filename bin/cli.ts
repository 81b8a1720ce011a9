import { Command, Option } from 'commander';
import { dataStreams, errorOf, oneLine, writeStreamMigration } from '@haidang/stream';

/**
 * A command's action, its module loaded when the command runs: a `haidang stream` worker then
 * carries neither the api's packages (PDF, spreadsheets, socket.io) nor the ingest's.
 */
function lazy<A extends unknown[]>(load: () => Promise<(...args: A) => Promise<void> | void>) {
  return async (...args: A): Promise<void> => (await load())(...args);
}

/** Flags every service shares; each overrides the environment variable named beside it. */
function serviceOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--brokers <list>', 'Kafka brokers host:port,… (distributed mode)').env('KAFKA_BROKERS'))
    .addOption(new Option('--compression <codec>', 'codec of the batches produced to Kafka: none|gzip|snappy|lz4|zstd (all four are read whatever this says)').env('KAFKA_COMPRESSION'))
    .addOption(new Option('--clickhouse <url>', 'ClickHouse server HTTP URL; unset = chDB in-process').env('CLICKHOUSE_URL'))
    .addOption(new Option('--data <dir>', 'chDB data folder (embedded store)').env('HAIDANG_DATA_DIR'))
    .addOption(new Option('--partitions <n>', 'partitions per topic when creating topics').env('HAIDANG_PARTITIONS'))
    .addOption(new Option('--topic-prefix <prefix>', 'prefix of every topic name').env('HAIDANG_TOPIC_PREFIX'))
    .addOption(new Option('--group <id>', 'consumer group of the stream processor').env('HAIDANG_GROUP'))
    .addOption(new Option('--log-level <level>', 'fatal|error|warn|info|debug').env('LOG_LEVEL'));
}

/** The simulated city's flags (`start`, `ingest`). */
function simulatorOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--rate <events/s>', 'simulator events per second (0 = no simulator)').env('HAIDANG_SIM_RATE'))
    .addOption(new Option('--seed <n>', 'simulator seed (same seed, same city)').env('HAIDANG_SIM_SEED'))
    .addOption(new Option('--speed <x>', 'simulated time per real time, 1 (real time) to 1000').env('HAIDANG_SIM_SPEED'))
    .addOption(new Option('--history <hours>', 'hours of simulated history published at start').env('HAIDANG_SIM_HISTORY_HOURS'));
}

const program = new Command()
  .name('haidang')
  .description(
    'Hải Đăng — data pipeline and live dashboard for a city Intelligent Operations Center.\n\n' +
      'With no KAFKA_BROKERS and no CLICKHOUSE_URL everything runs embedded in one process:\n' +
      'an in-process log instead of Kafka and chDB (in-process ClickHouse) storing to ./data.',
  )
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Examples:
  haidang start                                  everything embedded, live simulated Vũng Tàu, data in ./data
  haidang start --rate 0                         no simulator
  infra/kafka/kafka.sh start 9092 .kafka-data    a local Kafka broker (Java 17, jars from Maven Central)
  KAFKA_BROKERS=127.0.0.1:9092 haidang stream    one processor worker; start more to share the partitions
  KAFKA_BROKERS=127.0.0.1:9092 haidang ingest    the simulator (and --pollers, --replay) publishing to Kafka
  KAFKA_BROKERS=… haidang api --alerts           the api; exactly one instance judges the alert rules
  haidang sql "SELECT count() FROM capacity_raw" query the store (when no other process holds ./data)

Event contracts for outside producers: docs/contracts.md`,
  );

serviceOptions(
  simulatorOptions(program.command('start'))
    .description('run the whole system in one process (embedded by default): store, processor, api with the dashboard, and the simulator feeding a live city')
    .addOption(new Option('--port <n>', 'HTTP port of the api and dashboard').env('HAIDANG_PORT'))
    .addOption(new Option('--pollers <file>', 'also run the pollers of this config (JSON or YAML, docs/pollers.md)')),
).action(lazy(async () => (await import('./commands/start.ts')).runStart));

serviceOptions(
  program
    .command('stream')
    .description('run the stream processor as a member of a Kafka consumer group (needs KAFKA_BROKERS); start several to share partitions')
    .addOption(new Option('--batch-rows <n>', 'rows per ClickHouse insert').env('HAIDANG_BATCH_ROWS'))
    .addOption(new Option('--session-timeout <ms>', 'Kafka group session timeout').env('HAIDANG_SESSION_TIMEOUT_MS'))
    .addOption(new Option('--ops-port <n>', 'port of /healthz, /readyz, /metrics (0 = any free port, logged)').env('HAIDANG_OPS_PORT')),
).action(lazy(async () => (await import('./commands/stream.ts')).runStream));

serviceOptions(
  simulatorOptions(program.command('ingest'))
    .description('publish to Kafka (needs KAFKA_BROKERS): the simulator, the pollers of a config, a replayed NDJSON file; `haidang stream` workers store it')
    .addOption(new Option('--pollers <file>', 'also run the pollers of this config (JSON or YAML, docs/pollers.md); opens the store for their cursors'))
    .addOption(new Option('--replay <ndjson>', 'publish a recorded file of events (one JSON event a line); with --rate 0 and no pollers, exit when done'))
    .addOption(new Option('--ops-port <n>', 'port of /healthz, /readyz, /metrics (0 = any free port, logged)').env('HAIDANG_OPS_PORT'))
    .addHelpText(
      'after',
      `
Examples:
  KAFKA_BROKERS=127.0.0.1:9092 haidang ingest --rate 500
      the simulated city: a day of history at once, then live, 500 events/s at most
  KAFKA_BROKERS=127.0.0.1:9092 haidang ingest --rate 0 --replay day.ndjson
      publish a recorded file of events, then exit (1 if lines were refused)
  KAFKA_BROKERS=127.0.0.1:9092 CLICKHOUSE_URL=http://… haidang ingest --rate 0 --pollers pollers.yaml
      poll external systems; their cursors live in the store`,
    ),
).action(lazy(async () => (await import('./commands/ingest.ts')).runIngest));

serviceOptions(
  program
    .command('api')
    .description('run the api alone over the store (distributed mode; HAIDANG_ADMIN_PASSWORD, HAIDANG_SESSION_SECRET, HAIDANG_CORS_ORIGINS)')
    .addOption(new Option('--port <n>', 'HTTP port of the api (0 = any free port)').env('HAIDANG_PORT'))
    .option('--alerts', 'judge the alert rules and watch the sources here (needs KAFKA_BROKERS); give it to exactly one instance, or each would raise every episode'),
).action(lazy(async () => (await import('./commands/api.ts')).runApi));

serviceOptions(
  program
    .command('poll')
    .description('poll external systems (hospital FHIR, immunisation registry, price bulletins, public-service portal) on their schedules')
    .requiredOption('--config <file>', 'pollers config, JSON or YAML (docs/pollers.md)')
    .option('--once', 'run each poller once, print its health, exit non-zero if one failed')
    .option('--pack <dir>', 'city pack folder (default: packs/vung-tau)'),
).action(lazy(async () => (await import('./commands/poll.ts')).runPoll));

serviceOptions(program.command('migrate').description('apply the store schema migrations and exit')).action(lazy(async () => (await import('./commands/migrate.ts')).runMigrate));

program
  .command('migration')
  .description('write migrations (developers: the .sql is then frozen, committed and never edited)')
  .command('new')
  .argument('<stream>', 'a stream of the registry (stream/src/streams/index.ts) that has no tables yet')
  .description("write stream/src/store/migrations/000N_<stream>.sql: the stream's tables, from its descriptor")
  .action((stream: string) => {
    const w = writeStreamMigration(stream);
    process.stdout.write(`wrote stream/src/store/migrations/${w.file} (migration ${w.id}, ${w.statements} statements); record its checksum in stream/test/migrations-frozen.test.ts\n`);
  });

program
  .command('store')
  .description('own the chDB folder and serve it as ClickHouse HTTP on loopback, so several processes share one store (production: a ClickHouse server)')
  .addOption(new Option('--data <dir>', 'chDB data folder').env('HAIDANG_DATA_DIR'))
  .addOption(new Option('--store-port <n>', 'port to listen on').env('HAIDANG_STORE_PORT'))
  .addOption(new Option('--ops-port <n>', 'port of /healthz, /readyz, /metrics (0 = any free port, logged)').env('HAIDANG_OPS_PORT'))
  .addOption(new Option('--user <name>', 'user clients must send').env('CLICKHOUSE_USER'))
  .addOption(new Option('--password <secret>', 'password clients must send (unset = a random one, printed once)').env('CLICKHOUSE_PASSWORD'))
  .addOption(new Option('--log-level <level>', 'fatal|error|warn|info|debug').env('LOG_LEVEL'))
  .action(lazy(async () => (await import('./commands/store.ts')).runStore));

serviceOptions(program.command('sql').argument('<query>', 'a SELECT').description('run one query on the store and print JSON lines')).action(lazy(async () => (await import('./commands/sql.ts')).runSql));

program
  .command('import')
  .argument('<file>', 'a CSV or XLSX report (templates: GET /ingest/v1/<stream>/template.csv|.xlsx)')
  .description('upload a report file to a running server and print the row report (exit 1 if rows were refused)')
  .requiredOption('--stream <stream>', dataStreams.join(', '))
  .addOption(new Option('--url <url>', 'the server').default('http://127.0.0.1:8080'))
  .addOption(new Option('--key <key>', "the source's API key").env('HAIDANG_API_KEY'))
  .option('--strict', 'store nothing unless every row is good')
  .option('--encoding <encoding>', "a CSV's encoding when it has no byte order mark: utf-8, windows-1258, utf-16le, utf-16be (default: the server detects UTF-8, else Windows-1258)")
  .action(lazy(async () => (await import('./commands/import.ts')).runImport));

const grafana = program.command('grafana').description('Grafana: dashboards over the store and the pipeline metrics, alert episodes as annotations');
serviceOptions(
  grafana
    .command('sync')
    .description('push the dashboards (POST /api/dashboards/db) and alert episodes as annotations (POST /api/annotations) through Grafana\'s HTTP API')
    .requiredOption('--url <grafana>', 'Grafana base URL, e.g. http://127.0.0.1:3000')
    .option('--token <env>', 'name of the environment variable holding a service-account token (Editor role)', 'GRAFANA_TOKEN')
    .option('--since <days>', 'push alert episodes started in the last N days', '30')
    .option('--folder <uid>', 'Grafana folder uid for the dashboards (default: General)'),
).action(lazy(async () => (await import('./commands/grafana.ts')).runGrafanaSync));
grafana
  .command('export')
  .description('write the dashboards as JSON for file provisioning')
  .option('--out <dir>', 'folder to write into', 'infra/grafana/dashboards')
  .action(lazy(async () => (await import('./commands/grafana.ts')).runGrafanaExport));

// a failed command says what failed in one line with its code (the catalogue's), never a stack:
// `haidang: HD_STORE_UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:8123 (retryable)`
try {
  await program.parseAsync(process.argv);
} catch (e) {
  // stderr is synchronous on files and pipes; exit now rather than wait on what the command left open
  // a wrong flag or variable exits 2, like commander's own usage errors; anything else 1
  const error = errorOf(e);
  process.stderr.write(`haidang: ${oneLine(error)}\n`);
  process.exit(error.code === 'HD_CONFIG_INVALID' ? 2 : 1);
}
