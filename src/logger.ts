import { pino, type Logger } from 'pino';
import type { Config } from './config/config.js';

/** JSON logs to stderr (stdout is for command output), tagged with the process's role. */
export function createLogger(config: Pick<Config, 'logLevel'>, role: string): Logger {
  return pino({ level: config.logLevel, base: { role, pid: process.pid } }, pino.destination(2));
}
