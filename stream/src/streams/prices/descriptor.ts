import { defineStream } from '../descriptor.ts';
import { kpiRange } from '../kpi-sql.ts';
import { priceEvent, pricePayload } from './contract.ts';

/** Price of one essential commodity at one market: a gauge, reported in the market mornings. */
export const prices = defineStream({
  name: 'prices',
  topic: 'ioc.prices.v1',
  version: 1,
  payload: pricePayload,
  event: priceEvent,
  kind: 'gauge',
  label: { vi: 'Giá cả', en: 'Prices' },
  entity: {
    kind: 'market',
    label: { vi: 'Chợ', en: 'Market' },
    places: 'markets',
    key: 'market id',
    upload: { headers: ['Chợ', 'Mã chợ', 'market', 'marketId'], example: 'cho-vung-tau' },
  },
  fields: [
    { path: 'commodity', column: 'commodity', store: 'LowCardinality(String)', read: (p) => p.commodity, type: 'string', dimension: true, label: { vi: 'Mặt hàng', en: 'Commodity' }, upload: { headers: ['Mặt hàng', 'Mã mặt hàng'], example: 'pork', required: true } },
    { path: 'unit', column: 'unit', store: 'LowCardinality(String)', read: (p) => p.unit, type: 'string', label: { vi: 'Đơn vị', en: 'Unit' }, upload: { headers: ['Đơn vị', 'Đơn vị tính', 'ĐVT'], example: 'kg', required: false } },
    { path: 'priceVnd', column: 'price_vnd', store: 'UInt64', read: (p) => p.priceVnd, type: 'integer', unit: 'VND', label: { vi: 'Giá (đồng)', en: 'Price (VND)' }, upload: { headers: ['Giá (đồng)', 'Giá', 'Giá bán', 'Giá (VNĐ)', 'Giá (đ)', 'price'], example: '95.000', required: true } },
    { path: 'shortage', column: 'shortage', store: 'Nullable(Bool)', read: (p) => p.shortage ?? null, type: 'boolean', label: { vi: 'Thiếu hàng', en: 'Shortage' }, upload: { headers: ['Thiếu hàng', 'Khan hiếm'], example: 'không', required: false } },
  ],
  ratios: [],
  // markets report in the morning
  cadence: { cadenceMinutes: 480, hours: { from: '06:00', to: '16:00' } },
  roles: ['admin', 'operator', 'evaluator'],
  channel: 'prices',
  currentPath: '/prices/markets',
  kpis: [
    {
      id: 'prices-deviation',
      unit: 'ratio',
      cumulative: false,
      description: 'largest |daily price / median of the 7 days before − 1| over markets and commodities; daily price = the local day’s last report',
      sql: `SELECT {{bucket(day)}} AS t, '' AS series, max(abs(price / baseline - 1)) AS value FROM (
        SELECT day, price, quantileExact(0.5)(price) OVER (PARTITION BY entity, commodity ORDER BY toUInt32(toDate(day, {tz:String})) RANGE BETWEEN 7 PRECEDING AND 1 PRECEDING) AS baseline
        FROM (SELECT toTimeZone(toStartOfDay(observed_at, {tz:String}), 'UTC') AS day, entity, commodity, toFloat64(argMax(price_vnd, tuple(observed_at, received_at))) AS price FROM prices_raw
              WHERE observed_at >= {from:DateTime64(3, 'UTC')} - INTERVAL 8 DAY AND observed_at < {to:DateTime64(3, 'UTC')} GROUP BY day, entity, commodity))
      WHERE ${kpiRange('day')} AND baseline > 0 GROUP BY t ORDER BY t`,
    },
  ],
  panel: { component: 'prices', order: 30 },
});
