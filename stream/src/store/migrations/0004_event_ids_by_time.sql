CREATE TABLE IF NOT EXISTS capacity_ids_by_time (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY (UUIDv7ToDateTime(id), id)
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS capacity_ids_by_time_mv TO capacity_ids_by_time AS SELECT id, entity, observed_at FROM capacity_raw
;
DROP VIEW IF EXISTS capacity_ids_mv
;
INSERT INTO capacity_ids_by_time SELECT id, entity, observed_at FROM capacity_raw
;
DROP TABLE IF EXISTS capacity_ids
;
CREATE TABLE IF NOT EXISTS vaccination_ids_by_time (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY (UUIDv7ToDateTime(id), id)
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS vaccination_ids_by_time_mv TO vaccination_ids_by_time AS SELECT id, entity, observed_at FROM vaccination_raw
;
DROP VIEW IF EXISTS vaccination_ids_mv
;
INSERT INTO vaccination_ids_by_time SELECT id, entity, observed_at FROM vaccination_raw
;
DROP TABLE IF EXISTS vaccination_ids
;
CREATE TABLE IF NOT EXISTS prices_ids_by_time (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY (UUIDv7ToDateTime(id), id)
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS prices_ids_by_time_mv TO prices_ids_by_time AS SELECT id, entity, observed_at FROM prices_raw
;
DROP VIEW IF EXISTS prices_ids_mv
;
INSERT INTO prices_ids_by_time SELECT id, entity, observed_at FROM prices_raw
;
DROP TABLE IF EXISTS prices_ids
;
CREATE TABLE IF NOT EXISTS dossiers_ids_by_time (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY (UUIDv7ToDateTime(id), id)
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS dossiers_ids_by_time_mv TO dossiers_ids_by_time AS SELECT id, entity, observed_at FROM dossiers_raw
;
DROP VIEW IF EXISTS dossiers_ids_mv
;
INSERT INTO dossiers_ids_by_time SELECT id, entity, observed_at FROM dossiers_raw
;
DROP TABLE IF EXISTS dossiers_ids
;
CREATE TABLE IF NOT EXISTS alerts_ids_by_time (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY (UUIDv7ToDateTime(id), id)
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS alerts_ids_by_time_mv TO alerts_ids_by_time AS SELECT id, entity, observed_at FROM alerts_raw
;
DROP VIEW IF EXISTS alerts_ids_mv
;
INSERT INTO alerts_ids_by_time SELECT id, entity, observed_at FROM alerts_raw
;
DROP TABLE IF EXISTS alerts_ids
