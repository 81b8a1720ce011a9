DROP VIEW IF EXISTS capacity_1m_mv
;
DROP TABLE IF EXISTS capacity_1m
;
CREATE VIEW IF NOT EXISTS capacity_1m AS SELECT entity, `tier`, toStartOfMinute(observed_at) AS bucket, argMaxState(tuple(`beds_total`, `beds_occupied`, `oxygen_beds_total`, `oxygen_beds_occupied`, `o2_mask`, `o2_hfnc`, `o2_niv`, `o2_invasive`, `o2_ecmo`, `icu_beds_total`, `icu_beds_occupied`, `ventilators_total`, `ventilators_in_use`, `oxygen_stock_litres`, `staff_on_duty`)::Tuple(beds_total UInt32, beds_occupied UInt32, oxygen_beds_total UInt32, oxygen_beds_occupied UInt32, o2_mask UInt32, o2_hfnc UInt32, o2_niv UInt32, o2_invasive UInt32, o2_ecmo UInt32, icu_beds_total UInt32, icu_beds_occupied UInt32, ventilators_total UInt32, ventilators_in_use UInt32, oxygen_stock_litres Float64, staff_on_duty Nullable(UInt32)), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM capacity_raw GROUP BY entity, `tier`, bucket
;
DROP VIEW IF EXISTS prices_1m_mv
;
DROP TABLE IF EXISTS prices_1m
;
CREATE VIEW IF NOT EXISTS prices_1m AS SELECT entity, `commodity`, toStartOfMinute(observed_at) AS bucket, argMaxState(tuple(`unit`, `price_vnd`, `shortage`)::Tuple(unit LowCardinality(String), price_vnd UInt64, shortage Nullable(Bool)), tuple(observed_at, received_at)) AS last, uniqExactState(id) AS reports FROM prices_raw GROUP BY entity, `commodity`, bucket
