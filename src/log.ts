// Structured logs: JSON in a cluster, readable lines in a terminal. Always name the object.
import winston from 'winston';

export type Logger = winston.Logger;

export function createLogger(level: string, format: 'json' | 'text'): Logger {
  const fmt =
    format === 'json'
      ? winston.format.combine(winston.format.timestamp(), winston.format.json())
      : winston.format.combine(
          winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
          winston.format.printf(({ timestamp, level: lvl, message, ...meta }) => {
            const rest = Object.keys(meta).length ? ` ${Object.entries(meta).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}` : '';
            return `${timestamp} ${lvl.toUpperCase().padEnd(5)} ${message}${rest}`;
          }),
        );
  return winston.createLogger({ level, format: fmt, transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })] });
}
