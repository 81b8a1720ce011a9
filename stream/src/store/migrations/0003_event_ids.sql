CREATE TABLE IF NOT EXISTS capacity_ids (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY id
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS capacity_ids_mv TO capacity_ids AS SELECT id, entity, observed_at FROM capacity_raw
;
INSERT INTO capacity_ids SELECT id, entity, observed_at FROM capacity_raw
;
CREATE TABLE IF NOT EXISTS vaccination_ids (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY id
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS vaccination_ids_mv TO vaccination_ids AS SELECT id, entity, observed_at FROM vaccination_raw
;
INSERT INTO vaccination_ids SELECT id, entity, observed_at FROM vaccination_raw
;
CREATE TABLE IF NOT EXISTS prices_ids (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY id
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS prices_ids_mv TO prices_ids AS SELECT id, entity, observed_at FROM prices_raw
;
INSERT INTO prices_ids SELECT id, entity, observed_at FROM prices_raw
;
CREATE TABLE IF NOT EXISTS dossiers_ids (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY id
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS dossiers_ids_mv TO dossiers_ids AS SELECT id, entity, observed_at FROM dossiers_raw
;
INSERT INTO dossiers_ids SELECT id, entity, observed_at FROM dossiers_raw
;
CREATE TABLE IF NOT EXISTS alerts_ids (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY id
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS alerts_ids_mv TO alerts_ids AS SELECT id, entity, observed_at FROM alerts_raw
;
INSERT INTO alerts_ids SELECT id, entity, observed_at FROM alerts_raw
;
CREATE TABLE IF NOT EXISTS log_positions (
  topic String,
  partition UInt32,
  reserved UInt64,
  at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree(reserved)
ORDER BY (topic, partition)
