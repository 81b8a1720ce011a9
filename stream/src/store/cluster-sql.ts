/**
 * The cluster variant of the frozen migrations (`HAIDANG_CLICKHOUSE_CLUSTER`), derived from each
 * frozen statement at apply time by one rewrite, never by editing the frozen files:
 *
 *  - `CREATE TABLE t (…) ENGINE = XMergeTree[(args)] …` becomes `CREATE TABLE t_local ON CLUSTER c`
 *    with `ReplicatedXMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}'[, args])`
 *    (`non_replicated_deduplication_window` becomes `replicated_deduplication_window`: a batch
 *    retried with the same token is dropped by the replicas' own insert deduplication), followed
 *    by `CREATE TABLE t ON CLUSTER c AS t_local ENGINE = Distributed(c, currentDatabase(), t_local,
 *    cityHash64(key))` under the original name, so the api reads and the workers insert by the
 *    names they use today. The key is `entity` when the table has one (a facility's reports and
 *    everything the views derive from them stay on one shard, so FINAL and the rollups' merges
 *    see all of them), else the first column of ORDER BY (log positions: the topic).
 *  - a materialised view is created ON CLUSTER and reads and writes the local tables (it fires
 *    on the shard the rows were inserted into);
 *  - a plain view is created ON CLUSTER over the distributed tables;
 *  - `DROP VIEW` gets ON CLUSTER; `DROP TABLE t` drops the distributed `t` and `t_local`;
 *  - an `INSERT … SELECT` (a backfill) runs as it is, through the distributed tables.
 * Anything else is refused: a new kind of statement needs a rule here first.
 */
const localSuffix = '_local';

const ident = '`?([A-Za-z_][A-Za-z0-9_]*)`?';
const createTable = new RegExp(`^CREATE TABLE IF NOT EXISTS ${ident}\\s*\\(`);
const createMv = new RegExp(`^CREATE MATERIALIZED VIEW IF NOT EXISTS ${ident} TO ${ident} AS `);
const createView = new RegExp(`^CREATE VIEW IF NOT EXISTS ${ident} AS `);
const dropView = new RegExp(`^DROP VIEW IF EXISTS ${ident}$`);
const dropTable = new RegExp(`^DROP TABLE IF EXISTS ${ident}$`);
const insertSelect = new RegExp(`^INSERT INTO ${ident} SELECT `);
const engine = /\bENGINE = (Replacing|Aggregating|Summing|Collapsing|VersionedCollapsing)?MergeTree\b(\(([^)]*)\))?/;

/** a cluster name as ClickHouse's `remote_servers` spells it (it is written into DDL unquoted) */
const clusterNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class ClusterRewriteError extends Error {}

/**
 * The cluster variant of `statements`, in order (one frozen statement can become two).
 * `tables` holds the tables created so far (by earlier migrations too): a view's reads and
 * writes of these go to the local tables. Pass the same set through the migrations in order;
 * it is updated as tables are created and dropped.
 */
export function onCluster(statements: readonly string[], cluster: string, tables: Set<string> = new Set()): string[] {
  if (!clusterNamePattern.test(cluster)) throw new ClusterRewriteError(`cluster name ${JSON.stringify(cluster)} must match ${clusterNamePattern}`);
  return statements.flatMap((statement) => rewrite(statement.trim(), cluster, tables));
}

function rewrite(s: string, cluster: string, tables: Set<string>): string[] {
  let m: RegExpExecArray | null;
  if ((m = createTable.exec(s))) {
    const name = m[1]!;
    tables.add(name);
    const e = engine.exec(s);
    if (!e) throw new ClusterRewriteError(`${name}: only MergeTree-family tables have a cluster rule`);
    const args = e[3]?.trim();
    const replicated = `ENGINE = Replicated${e[1] ?? ''}MergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}'${args ? `, ${args}` : ''})`;
    const local = s
      .replace(m[0], `CREATE TABLE IF NOT EXISTS ${name}${localSuffix} ON CLUSTER ${cluster} (`)
      .replace(e[0], replicated)
      .replace(/\bnon_replicated_deduplication_window\b/, 'replicated_deduplication_window');
    return [local, `CREATE TABLE IF NOT EXISTS ${name} ON CLUSTER ${cluster} AS ${name}${localSuffix} ENGINE = Distributed(${cluster}, currentDatabase(), ${name}${localSuffix}, cityHash64(${shardingKey(s, name)}))`];
  }
  if ((m = createMv.exec(s))) {
    const [head, view, target] = m as unknown as [string, string, string];
    const body = s.slice(head.length).replace(/\b(FROM|JOIN)\s+`?([A-Za-z_][A-Za-z0-9_]*)`?/g, (all, kw: string, t: string) => (tables.has(t) ? `${kw} ${t}${localSuffix}` : all));
    return [`CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} ON CLUSTER ${cluster} TO ${tables.has(target) ? target + localSuffix : target} AS ${body}`];
  }
  if ((m = createView.exec(s))) return [`CREATE VIEW IF NOT EXISTS ${m[1]} ON CLUSTER ${cluster} AS ${s.slice(m[0].length)}`];
  if ((m = dropView.exec(s))) return [`DROP VIEW IF EXISTS ${m[1]} ON CLUSTER ${cluster} SYNC`];
  if ((m = dropTable.exec(s))) {
    tables.delete(m[1]!);
    return [`DROP TABLE IF EXISTS ${m[1]} ON CLUSTER ${cluster} SYNC`, `DROP TABLE IF EXISTS ${m[1]}${localSuffix} ON CLUSTER ${cluster} SYNC`];
  }
  if (insertSelect.test(s)) return [s];
  throw new ClusterRewriteError(`no cluster rule for: ${s.slice(0, 80)}`);
}

/** `entity` when the table has that column, else the first column it is ordered by */
function shardingKey(s: string, name: string): string {
  if (/^\s*`?entity`?\s/m.test(s.slice(0, s.search(/\)\s*ENGINE/)))) return 'entity';
  const order = /\bORDER BY \(?\s*`?([A-Za-z_][A-Za-z0-9_]*)`?/.exec(s);
  if (!order) throw new ClusterRewriteError(`${name}: no entity column and no ORDER BY to shard by`);
  return order[1]!;
}
