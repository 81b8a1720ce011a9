CREATE TABLE IF NOT EXISTS disbursement_raw (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `plan_year` UInt16,
  `month` LowCardinality(String),
  `capital_plan_vnd` UInt64,
  `disbursed_month_vnd` UInt64,
  `disbursed_to_date_vnd` UInt64,
  `physical_progress_pct` Float64,
  `behind_schedule` Bool,
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX log_position (log_partition, log_offset) TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (entity, observed_at, id)
SETTINGS non_replicated_deduplication_window = 10000
;
CREATE TABLE IF NOT EXISTS disbursement_asof (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `plan_year` UInt16,
  `month` LowCardinality(String),
  `capital_plan_vnd` UInt64,
  `disbursed_month_vnd` UInt64,
  `disbursed_to_date_vnd` UInt64,
  `physical_progress_pct` Float64,
  `behind_schedule` Bool
) ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(observed_at)
ORDER BY (`entity`, `plan_year`, observed_at)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS disbursement_asof_mv TO disbursement_asof AS SELECT `id`, `source`, `entity`, `observed_at`, `received_at`, `version`, `log_partition`, `log_offset`, `plan_year`, `month`, `capital_plan_vnd`, `disbursed_month_vnd`, `disbursed_to_date_vnd`, `physical_progress_pct`, `behind_schedule` FROM disbursement_raw
;
CREATE TABLE IF NOT EXISTS disbursement_latest (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `plan_year` UInt16,
  `month` LowCardinality(String),
  `capital_plan_vnd` UInt64,
  `disbursed_month_vnd` UInt64,
  `disbursed_to_date_vnd` UInt64,
  `physical_progress_pct` Float64,
  `behind_schedule` Bool,
  ver UInt64
) ENGINE = ReplacingMergeTree(ver)
ORDER BY (`entity`, `plan_year`)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS disbursement_latest_mv TO disbursement_latest AS SELECT `id`, `source`, `entity`, `observed_at`, `received_at`, `version`, `log_partition`, `log_offset`, `plan_year`, `month`, `capital_plan_vnd`, `disbursed_month_vnd`, `disbursed_to_date_vnd`, `physical_progress_pct`, `behind_schedule`, toUInt64(toUnixTimestamp(observed_at)) * 1000000000 + toUInt64(toUnixTimestamp(received_at)) % 1000000000 AS ver FROM disbursement_raw
;
CREATE VIEW IF NOT EXISTS disbursement_1m AS SELECT entity, `plan_year`, toStartOfMinute(observed_at) AS bucket, argMaxState(tuple(`month`, `capital_plan_vnd`, `disbursed_month_vnd`, `disbursed_to_date_vnd`, `physical_progress_pct`, `behind_schedule`)::Tuple(month LowCardinality(String), capital_plan_vnd UInt64, disbursed_month_vnd UInt64, disbursed_to_date_vnd UInt64, physical_progress_pct Float64, behind_schedule Bool), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM disbursement_raw GROUP BY entity, `plan_year`, bucket
;
CREATE TABLE IF NOT EXISTS disbursement_1h (
  entity LowCardinality(String), `plan_year` UInt16,
  bucket DateTime('UTC'),
  last AggregateFunction(argMax, Tuple(month LowCardinality(String), capital_plan_vnd UInt64, disbursed_month_vnd UInt64, disbursed_to_date_vnd UInt64, physical_progress_pct Float64, behind_schedule Bool), Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),
  reports AggregateFunction(uniqExact, UUID)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (`entity`, `plan_year`, bucket)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS disbursement_1h_mv TO disbursement_1h AS SELECT entity, `plan_year`, toStartOfHour(observed_at) AS bucket, argMaxState(tuple(`month`, `capital_plan_vnd`, `disbursed_month_vnd`, `disbursed_to_date_vnd`, `physical_progress_pct`, `behind_schedule`)::Tuple(month LowCardinality(String), capital_plan_vnd UInt64, disbursed_month_vnd UInt64, disbursed_to_date_vnd UInt64, physical_progress_pct Float64, behind_schedule Bool), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM disbursement_raw GROUP BY entity, `plan_year`, bucket
;
CREATE TABLE IF NOT EXISTS disbursement_1d (
  entity LowCardinality(String), `plan_year` UInt16,
  bucket DateTime('UTC'),
  last AggregateFunction(argMax, Tuple(month LowCardinality(String), capital_plan_vnd UInt64, disbursed_month_vnd UInt64, disbursed_to_date_vnd UInt64, physical_progress_pct Float64, behind_schedule Bool), Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),
  reports AggregateFunction(uniqExact, UUID)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (`entity`, `plan_year`, bucket)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS disbursement_1d_mv TO disbursement_1d AS SELECT entity, `plan_year`, toStartOfDay(observed_at) AS bucket, argMaxState(tuple(`month`, `capital_plan_vnd`, `disbursed_month_vnd`, `disbursed_to_date_vnd`, `physical_progress_pct`, `behind_schedule`)::Tuple(month LowCardinality(String), capital_plan_vnd UInt64, disbursed_month_vnd UInt64, disbursed_to_date_vnd UInt64, physical_progress_pct Float64, behind_schedule Bool), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM disbursement_raw GROUP BY entity, `plan_year`, bucket
;
CREATE TABLE IF NOT EXISTS disbursement_ids_by_time (
  id UUID,
  entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY (UUIDv7ToDateTime(id), id)
SETTINGS index_granularity = 256
;
CREATE MATERIALIZED VIEW IF NOT EXISTS disbursement_ids_by_time_mv TO disbursement_ids_by_time AS SELECT id, entity, observed_at FROM disbursement_raw
