import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs (pino); services add `component` and request/batch ids as children.
 * On a terminal the same records are printed readably (pino-pretty), so `npm start` is
 * pleasant to watch; pipes, files and CI get JSON lines.
 */
export function createLogger(level: string, name = 'haidang'): Logger {
  const pretty = process.stdout.isTTY && !process.env.CI;
  return pino({
    name,
    level,
    base: { pid: process.pid },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' } } } : {}),
  });
}
export type { Logger };
