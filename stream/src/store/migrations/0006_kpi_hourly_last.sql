CREATE TABLE IF NOT EXISTS capacity_kpi_1h (
  bucket DateTime('UTC'),
  entity LowCardinality(String), `tier` UInt8,
  last AggregateFunction(argMax, Tuple(oxygen_beds_occupied UInt32, oxygen_beds_total UInt32), Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC')))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, entity, `tier`)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS capacity_kpi_1h_mv TO capacity_kpi_1h AS SELECT toStartOfHour(observed_at) AS bucket, entity, `tier`, argMaxState(tuple(`oxygen_beds_occupied`, `oxygen_beds_total`)::Tuple(oxygen_beds_occupied UInt32, oxygen_beds_total UInt32), tuple(observed_at, received_at)) AS last FROM capacity_raw GROUP BY bucket, entity, `tier`
;
INSERT INTO capacity_kpi_1h SELECT toStartOfHour(observed_at) AS bucket, entity, `tier`, argMaxState(tuple(`oxygen_beds_occupied`, `oxygen_beds_total`)::Tuple(oxygen_beds_occupied UInt32, oxygen_beds_total UInt32), tuple(observed_at, received_at)) AS last FROM capacity_raw GROUP BY bucket, entity, `tier`
;
CREATE TABLE IF NOT EXISTS disbursement_kpi_1h (
  bucket DateTime('UTC'),
  entity LowCardinality(String), `plan_year` UInt16,
  last AggregateFunction(argMax, Tuple(disbursed_to_date_vnd UInt64, capital_plan_vnd UInt64), Tuple(DateTime64(3, 'UTC'), DateTime64(3, 'UTC')))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (bucket, entity, `plan_year`)
;
CREATE MATERIALIZED VIEW IF NOT EXISTS disbursement_kpi_1h_mv TO disbursement_kpi_1h AS SELECT toStartOfHour(observed_at) AS bucket, entity, `plan_year`, argMaxState(tuple(`disbursed_to_date_vnd`, `capital_plan_vnd`)::Tuple(disbursed_to_date_vnd UInt64, capital_plan_vnd UInt64), tuple(observed_at, received_at)) AS last FROM disbursement_raw GROUP BY bucket, entity, `plan_year`
;
INSERT INTO disbursement_kpi_1h SELECT toStartOfHour(observed_at) AS bucket, entity, `plan_year`, argMaxState(tuple(`disbursed_to_date_vnd`, `capital_plan_vnd`)::Tuple(disbursed_to_date_vnd UInt64, capital_plan_vnd UInt64), tuple(observed_at, received_at)) AS last FROM disbursement_raw GROUP BY bucket, entity, `plan_year`
