import pino, { type Logger } from 'pino';

/** structured JSON logs (pino); services add `component` and request/batch ids as children */
export function createLogger(level: string, name = 'haidang'): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
export type { Logger };
