import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { capacityForecast } from '../api/foresight-schemas.ts';
import { formatDateTime, formatNumber } from '../format/format.ts';
import { usePolled } from '../live/use-polled.ts';
import { useLang } from '../shell/use-lang.ts';
import { ForecastChart } from './forecast-chart.tsx';
import { forecastChartData } from './forecast-chart-data.ts';

/** the forecast is recomputed on the server at most every few minutes: polling faster buys nothing once it is shown */
const everyMs = 5 * 60_000;
/** until there is a forecast (no history yet), ask again soon */
const retryMs = 15_000;

/** tier-2 oxygen beds of the whole city for the next 72 hours: projection, band, time to full and how it was computed */
export function ForecastPanel({ tier = 2, hours = 72 }: { tier?: 1 | 2 | 3; hours?: number }) {
  const { lang, t } = useLang();
  const [ready, setReady] = useState(false);
  const f = usePolled((signal) => api(`/capacity/forecast?tier=${tier}&hours=${hours}`, capacityForecast, { signal }), ready ? everyMs : retryMs, [tier, hours]);
  const m = f.data?.oxygenBeds;
  useEffect(() => setReady(!!m), [m]);
  return (
    <section className="forecast" data-testid="forecast" aria-labelledby="forecast-title">
      <h3 id="forecast-title">{t('forecast.title', { tier, hours })}</h3>
      {!m ? (
        <p className="muted" data-testid="forecast-empty">
          {f.error ? t('forecast.none') : t('forecast.loading')}
        </p>
      ) : (
        <>
          <p className="forecast-full">
            <span className={`tag ${m.timeToFull.hours === null ? 'good' : m.timeToFull.hours < 24 ? 'critical' : 'warning'}`} data-testid="forecast-time-to-full">
              {m.timeToFull.text[lang]}
            </span>{' '}
            <span className="muted">
              {t('forecast.now', { occupied: formatNumber(lang, m.current), capacity: formatNumber(lang, m.capacity), asOf: formatDateTime(lang, f.data!.asOf) })}
            </span>
          </p>
          <ForecastChart
            data={forecastChartData(m)}
            labels={{ value: t('forecast.projection'), low: t('forecast.low'), high: t('forecast.high'), capacity: t('forecast.capacity'), full: t('forecast.full') }}
            format={(v) => formatNumber(lang, v)}
          />
          <p className="muted small" data-testid="forecast-method">
            {m.method[lang]}
          </p>
        </>
      )}
    </section>
  );
}
