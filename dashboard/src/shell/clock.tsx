import { useEffect, useState } from 'react';
import { timeZone } from '../format/format.ts';
import { useLang } from './use-lang.ts';

/** the wall's clock: weekday and date, 24-hour time, on Vũng Tàu's clock in the viewer's language */
export function Clock() {
  const { lang } = useLang();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const date = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' }).format(now);
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(now);
  return (
    <div className="clock" data-testid="clock" role="timer" aria-live="off">
      <span className="clock-time">{time}</span>
      <span className="clock-date">{date}</span>
    </div>
  );
}
