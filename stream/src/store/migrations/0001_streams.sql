CREATE TABLE IF NOT EXISTS capacity_raw (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `tier` UInt8,
  `beds_total` UInt32,
  `beds_occupied` UInt32,
  `oxygen_beds_total` UInt32,
  `oxygen_beds_occupied` UInt32,
  `o2_mask` UInt32,
  `o2_hfnc` UInt32,
  `o2_niv` UInt32,
  `o2_invasive` UInt32,
  `o2_ecmo` UInt32,
  `icu_beds_total` UInt32,
  `icu_beds_occupied` UInt32,
  `ventilators_total` UInt32,
  `ventilators_in_use` UInt32,
  `oxygen_stock_litres` Float64,
  `staff_on_duty` Nullable(UInt32),
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX log_position (log_partition, log_offset) TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (entity, observed_at, id)
SETTINGS non_replicated_deduplication_window = 10000
;
CREATE TABLE IF NOT EXISTS capacity_asof (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `tier` UInt8,
  `beds_total` UInt32,
  `beds_occupied` UInt32,
  `oxygen_beds_total` UInt32,
  `oxygen_beds_occupied` UInt32,
  `o2_mask` UInt32,
  `o2_hfnc` UInt32,
  `o2_niv` UInt32,
  `o2_invasive` UInt32,
  `o2_ecmo` UInt32,
  `icu_beds_total` UInt32,
  `icu_beds_occupied` UInt32,
  `ventilators_total` UInt32,
  `ventilators_in_use` UInt32,
  `oxygen_stock_litres` Float64,
  `staff_on_duty` Nullable(UInt32)
) ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(observed_at)
ORDER BY (`entity`, `tier`, observed_at)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS capacity_asof_mv TO capacity_asof AS SELECT `id`, `source`, `entity`, `observed_at`, `received_at`, `version`, `log_partition`, `log_offset`, `tier`, `beds_total`, `beds_occupied`, `oxygen_beds_total`, `oxygen_beds_occupied`, `o2_mask`, `o2_hfnc`, `o2_niv`, `o2_invasive`, `o2_ecmo`, `icu_beds_total`, `icu_beds_occupied`, `ventilators_total`, `ventilators_in_use`, `oxygen_stock_litres`, `staff_on_duty` FROM capacity_raw
;
CREATE TABLE IF NOT EXISTS capacity_latest (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `tier` UInt8,
  `beds_total` UInt32,
  `beds_occupied` UInt32,
  `oxygen_beds_total` UInt32,
  `oxygen_beds_occupied` UInt32,
  `o2_mask` UInt32,
  `o2_hfnc` UInt32,
  `o2_niv` UInt32,
  `o2_invasive` UInt32,
  `o2_ecmo` UInt32,
  `icu_beds_total` UInt32,
  `icu_beds_occupied` UInt32,
  `ventilators_total` UInt32,
  `ventilators_in_use` UInt32,
  `oxygen_stock_litres` Float64,
  `staff_on_duty` Nullable(UInt32),
  ver UInt64
) ENGINE = ReplacingMergeTree(ver)
ORDER BY (`entity`, `tier`)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS capacity_latest_mv TO capacity_latest AS SELECT `id`, `source`, `entity`, `observed_at`, `received_at`, `version`, `log_partition`, `log_offset`, `tier`, `beds_total`, `beds_occupied`, `oxygen_beds_total`, `oxygen_beds_occupied`, `o2_mask`, `o2_hfnc`, `o2_niv`, `o2_invasive`, `o2_ecmo`, `icu_beds_total`, `icu_beds_occupied`, `ventilators_total`, `ventilators_in_use`, `oxygen_stock_litres`, `staff_on_duty`, toUInt64(toUnixTimestamp(observed_at)) * 1000000000 + toUInt64(toUnixTimestamp(received_at)) % 1000000000 AS ver FROM capacity_raw
;
CREATE TABLE IF NOT EXISTS capacity_1m (
  entity LowCardinality(String), `tier` UInt8,
  bucket DateTime('UTC'),
  last AggregateFunction(argMax, Tuple(beds_total UInt32, beds_occupied UInt32, oxygen_beds_total UInt32, oxygen_beds_occupied UInt32, o2_mask UInt32, o2_hfnc UInt32, o2_niv UInt32, o2_invasive UInt32, o2_ecmo UInt32, icu_beds_total UInt32, icu_beds_occupied UInt32, ventilators_total UInt32, ventilators_in_use UInt32, oxygen_stock_litres Float64, staff_on_duty Nullable(UInt32)), Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),
  reports AggregateFunction(uniqExact, UUID)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (`entity`, `tier`, bucket)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS capacity_1m_mv TO capacity_1m AS SELECT entity, `tier`, toStartOfMinute(observed_at) AS bucket, argMaxState(tuple(`beds_total`, `beds_occupied`, `oxygen_beds_total`, `oxygen_beds_occupied`, `o2_mask`, `o2_hfnc`, `o2_niv`, `o2_invasive`, `o2_ecmo`, `icu_beds_total`, `icu_beds_occupied`, `ventilators_total`, `ventilators_in_use`, `oxygen_stock_litres`, `staff_on_duty`)::Tuple(beds_total UInt32, beds_occupied UInt32, oxygen_beds_total UInt32, oxygen_beds_occupied UInt32, o2_mask UInt32, o2_hfnc UInt32, o2_niv UInt32, o2_invasive UInt32, o2_ecmo UInt32, icu_beds_total UInt32, icu_beds_occupied UInt32, ventilators_total UInt32, ventilators_in_use UInt32, oxygen_stock_litres Float64, staff_on_duty Nullable(UInt32)), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM capacity_raw GROUP BY entity, `tier`, bucket
;
CREATE TABLE IF NOT EXISTS capacity_1h (
  entity LowCardinality(String), `tier` UInt8,
  bucket DateTime('UTC'),
  last AggregateFunction(argMax, Tuple(beds_total UInt32, beds_occupied UInt32, oxygen_beds_total UInt32, oxygen_beds_occupied UInt32, o2_mask UInt32, o2_hfnc UInt32, o2_niv UInt32, o2_invasive UInt32, o2_ecmo UInt32, icu_beds_total UInt32, icu_beds_occupied UInt32, ventilators_total UInt32, ventilators_in_use UInt32, oxygen_stock_litres Float64, staff_on_duty Nullable(UInt32)), Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),
  reports AggregateFunction(uniqExact, UUID)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (`entity`, `tier`, bucket)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS capacity_1h_mv TO capacity_1h AS SELECT entity, `tier`, toStartOfHour(observed_at) AS bucket, argMaxState(tuple(`beds_total`, `beds_occupied`, `oxygen_beds_total`, `oxygen_beds_occupied`, `o2_mask`, `o2_hfnc`, `o2_niv`, `o2_invasive`, `o2_ecmo`, `icu_beds_total`, `icu_beds_occupied`, `ventilators_total`, `ventilators_in_use`, `oxygen_stock_litres`, `staff_on_duty`)::Tuple(beds_total UInt32, beds_occupied UInt32, oxygen_beds_total UInt32, oxygen_beds_occupied UInt32, o2_mask UInt32, o2_hfnc UInt32, o2_niv UInt32, o2_invasive UInt32, o2_ecmo UInt32, icu_beds_total UInt32, icu_beds_occupied UInt32, ventilators_total UInt32, ventilators_in_use UInt32, oxygen_stock_litres Float64, staff_on_duty Nullable(UInt32)), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM capacity_raw GROUP BY entity, `tier`, bucket
;
CREATE TABLE IF NOT EXISTS capacity_1d (
  entity LowCardinality(String), `tier` UInt8,
  bucket DateTime('UTC'),
  last AggregateFunction(argMax, Tuple(beds_total UInt32, beds_occupied UInt32, oxygen_beds_total UInt32, oxygen_beds_occupied UInt32, o2_mask UInt32, o2_hfnc UInt32, o2_niv UInt32, o2_invasive UInt32, o2_ecmo UInt32, icu_beds_total UInt32, icu_beds_occupied UInt32, ventilators_total UInt32, ventilators_in_use UInt32, oxygen_stock_litres Float64, staff_on_duty Nullable(UInt32)), Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),
  reports AggregateFunction(uniqExact, UUID)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (`entity`, `tier`, bucket)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS capacity_1d_mv TO capacity_1d AS SELECT entity, `tier`, toStartOfDay(observed_at) AS bucket, argMaxState(tuple(`beds_total`, `beds_occupied`, `oxygen_beds_total`, `oxygen_beds_occupied`, `o2_mask`, `o2_hfnc`, `o2_niv`, `o2_invasive`, `o2_ecmo`, `icu_beds_total`, `icu_beds_occupied`, `ventilators_total`, `ventilators_in_use`, `oxygen_stock_litres`, `staff_on_duty`)::Tuple(beds_total UInt32, beds_occupied UInt32, oxygen_beds_total UInt32, oxygen_beds_occupied UInt32, o2_mask UInt32, o2_hfnc UInt32, o2_niv UInt32, o2_invasive UInt32, o2_ecmo UInt32, icu_beds_total UInt32, icu_beds_occupied UInt32, ventilators_total UInt32, ventilators_in_use UInt32, oxygen_stock_litres Float64, staff_on_duty Nullable(UInt32)), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM capacity_raw GROUP BY entity, `tier`, bucket
;
CREATE TABLE IF NOT EXISTS vaccination_raw (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `dose_number` UInt8,
  `vaccine` LowCardinality(String),
  `age_group` LowCardinality(String),
  `doses` UInt32,
  `pushed_to_niis` Nullable(Bool),
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX log_position (log_partition, log_offset) TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (entity, observed_at, id)
SETTINGS non_replicated_deduplication_window = 10000
;
CREATE TABLE IF NOT EXISTS vaccination_asof (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `dose_number` UInt8,
  `vaccine` LowCardinality(String),
  `age_group` LowCardinality(String),
  `doses` UInt32,
  `pushed_to_niis` Nullable(Bool)
) ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(observed_at)
ORDER BY (`entity`, `dose_number`, `vaccine`, `age_group`, observed_at)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS vaccination_asof_mv TO vaccination_asof AS SELECT `id`, `source`, `entity`, `observed_at`, `received_at`, `version`, `log_partition`, `log_offset`, `dose_number`, `vaccine`, `age_group`, `doses`, `pushed_to_niis` FROM vaccination_raw
;
CREATE TABLE IF NOT EXISTS vaccination_latest (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `dose_number` UInt8,
  `vaccine` LowCardinality(String),
  `age_group` LowCardinality(String),
  `doses` UInt32,
  `pushed_to_niis` Nullable(Bool),
  ver UInt64
) ENGINE = ReplacingMergeTree(ver)
ORDER BY (`entity`, `dose_number`, `vaccine`, `age_group`)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS vaccination_latest_mv TO vaccination_latest AS SELECT `id`, `source`, `entity`, `observed_at`, `received_at`, `version`, `log_partition`, `log_offset`, `dose_number`, `vaccine`, `age_group`, `doses`, `pushed_to_niis`, toUInt64(toUnixTimestamp(observed_at)) * 1000000000 + toUInt64(toUnixTimestamp(received_at)) % 1000000000 AS ver FROM vaccination_raw
;
CREATE TABLE IF NOT EXISTS prices_raw (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `commodity` LowCardinality(String),
  `unit` LowCardinality(String),
  `price_vnd` UInt64,
  `shortage` Nullable(Bool),
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX log_position (log_partition, log_offset) TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (entity, observed_at, id)
SETTINGS non_replicated_deduplication_window = 10000
;
CREATE TABLE IF NOT EXISTS prices_asof (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `commodity` LowCardinality(String),
  `unit` LowCardinality(String),
  `price_vnd` UInt64,
  `shortage` Nullable(Bool)
) ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(observed_at)
ORDER BY (`entity`, `commodity`, observed_at)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS prices_asof_mv TO prices_asof AS SELECT `id`, `source`, `entity`, `observed_at`, `received_at`, `version`, `log_partition`, `log_offset`, `commodity`, `unit`, `price_vnd`, `shortage` FROM prices_raw
;
CREATE TABLE IF NOT EXISTS prices_latest (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `commodity` LowCardinality(String),
  `unit` LowCardinality(String),
  `price_vnd` UInt64,
  `shortage` Nullable(Bool),
  ver UInt64
) ENGINE = ReplacingMergeTree(ver)
ORDER BY (`entity`, `commodity`)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS prices_latest_mv TO prices_latest AS SELECT `id`, `source`, `entity`, `observed_at`, `received_at`, `version`, `log_partition`, `log_offset`, `commodity`, `unit`, `price_vnd`, `shortage`, toUInt64(toUnixTimestamp(observed_at)) * 1000000000 + toUInt64(toUnixTimestamp(received_at)) % 1000000000 AS ver FROM prices_raw
;
CREATE TABLE IF NOT EXISTS prices_1m (
  entity LowCardinality(String), `commodity` LowCardinality(String),
  bucket DateTime('UTC'),
  last AggregateFunction(argMax, Tuple(unit LowCardinality(String), price_vnd UInt64, shortage Nullable(Bool)), Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),
  reports AggregateFunction(uniqExact, UUID)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (`entity`, `commodity`, bucket)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS prices_1m_mv TO prices_1m AS SELECT entity, `commodity`, toStartOfMinute(observed_at) AS bucket, argMaxState(tuple(`unit`, `price_vnd`, `shortage`)::Tuple(unit LowCardinality(String), price_vnd UInt64, shortage Nullable(Bool)), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM prices_raw GROUP BY entity, `commodity`, bucket
;
CREATE TABLE IF NOT EXISTS prices_1h (
  entity LowCardinality(String), `commodity` LowCardinality(String),
  bucket DateTime('UTC'),
  last AggregateFunction(argMax, Tuple(unit LowCardinality(String), price_vnd UInt64, shortage Nullable(Bool)), Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),
  reports AggregateFunction(uniqExact, UUID)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (`entity`, `commodity`, bucket)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS prices_1h_mv TO prices_1h AS SELECT entity, `commodity`, toStartOfHour(observed_at) AS bucket, argMaxState(tuple(`unit`, `price_vnd`, `shortage`)::Tuple(unit LowCardinality(String), price_vnd UInt64, shortage Nullable(Bool)), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM prices_raw GROUP BY entity, `commodity`, bucket
;
CREATE TABLE IF NOT EXISTS prices_1d (
  entity LowCardinality(String), `commodity` LowCardinality(String),
  bucket DateTime('UTC'),
  last AggregateFunction(argMax, Tuple(unit LowCardinality(String), price_vnd UInt64, shortage Nullable(Bool)), Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC'))),
  reports AggregateFunction(uniqExact, UUID)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (`entity`, `commodity`, bucket)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS prices_1d_mv TO prices_1d AS SELECT entity, `commodity`, toStartOfDay(observed_at) AS bucket, argMaxState(tuple(`unit`, `price_vnd`, `shortage`)::Tuple(unit LowCardinality(String), price_vnd UInt64, shortage Nullable(Bool)), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM prices_raw GROUP BY entity, `commodity`, bucket
;
CREATE TABLE IF NOT EXISTS dossiers_raw (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `procedure` LowCardinality(String),
  `received` UInt32,
  `received_online` UInt32,
  `resolved` UInt32,
  `resolved_on_time` UInt32,
  `resolved_late` UInt32,
  `paid_online` UInt32,
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3),
  INDEX log_position (log_partition, log_offset) TYPE minmax GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (entity, observed_at, id)
SETTINGS non_replicated_deduplication_window = 10000
;
CREATE TABLE IF NOT EXISTS dossiers_asof (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `procedure` LowCardinality(String),
  `received` UInt32,
  `received_online` UInt32,
  `resolved` UInt32,
  `resolved_on_time` UInt32,
  `resolved_late` UInt32,
  `paid_online` UInt32
) ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(observed_at)
ORDER BY (`entity`, `procedure`, observed_at)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS dossiers_asof_mv TO dossiers_asof AS SELECT `id`, `source`, `entity`, `observed_at`, `received_at`, `version`, `log_partition`, `log_offset`, `procedure`, `received`, `received_online`, `resolved`, `resolved_on_time`, `resolved_late`, `paid_online` FROM dossiers_raw
;
CREATE TABLE IF NOT EXISTS dossiers_latest (
  `id` UUID,
  `source` LowCardinality(String),
  `entity` LowCardinality(String),
  `observed_at` DateTime64(3, 'UTC'),
  `received_at` DateTime64(3, 'UTC'),
  `version` UInt8,
  `log_partition` UInt32,
  `log_offset` UInt64,
  `procedure` LowCardinality(String),
  `received` UInt32,
  `received_online` UInt32,
  `resolved` UInt32,
  `resolved_on_time` UInt32,
  `resolved_late` UInt32,
  `paid_online` UInt32,
  ver UInt64
) ENGINE = ReplacingMergeTree(ver)
ORDER BY (`entity`, `procedure`)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS dossiers_latest_mv TO dossiers_latest AS SELECT `id`, `source`, `entity`, `observed_at`, `received_at`, `version`, `log_partition`, `log_offset`, `procedure`, `received`, `received_online`, `resolved`, `resolved_on_time`, `resolved_late`, `paid_online`, toUInt64(toUnixTimestamp(observed_at)) * 1000000000 + toUInt64(toUnixTimestamp(received_at)) % 1000000000 AS ver FROM dossiers_raw
;
CREATE TABLE IF NOT EXISTS alerts_raw (
  id UUID, source LowCardinality(String), entity LowCardinality(String),
  observed_at DateTime64(3, 'UTC'), received_at DateTime64(3, 'UTC'), version UInt8,
  log_partition UInt32, log_offset UInt64,
  rule_id LowCardinality(String), episode_id UUID, state LowCardinality(String), severity LowCardinality(String),
  metric LowCardinality(String), value Float64, threshold Float64, message_vi String, message_en String,
  stored_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = MergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (rule_id, entity, observed_at, id)
SETTINGS non_replicated_deduplication_window = 10000
;
CREATE TABLE IF NOT EXISTS deadletter (
  id UUID, topic LowCardinality(String), log_partition UInt32, log_offset UInt64, key Nullable(String),
  reason LowCardinality(String), field String, message String, event_id Nullable(String), source Nullable(String),
  raw String, dead_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
PARTITION BY toYYYYMM(dead_at)
ORDER BY (topic, log_partition, log_offset)
SETTINGS non_replicated_deduplication_window = 10000
