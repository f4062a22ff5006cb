import { LoggerService } from '@nestjs/common';
import { LOG_LEVELS, type LogLevel } from '../config/app-config';
import { redactSecrets } from './redact';

/** Nest's start-up route listings (about 110 of 175 start lines): debug, whatever level Nest gives them. */
const ROUTE_LISTING_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer']);

/** One JSON object per line on stdout; every line passes through `redactSecrets` before it is written. */
export class JsonLogger implements LoggerService {
  private readonly threshold: number;

  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
    level: LogLevel = 'info',
  ) {
    this.threshold = LOG_LEVELS.indexOf(level);
  }

  log(message: unknown, context?: string): void {
    this.emit(context !== undefined && ROUTE_LISTING_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, contextOf(rest));
  }

  warn(message: unknown, context?: string): void {
    this.emit('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.emit('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.emit('verbose', message, context);
  }

  fatal(message: unknown, context?: string): void {
    this.emit('fatal', message, context);
  }

  private emit(level: LogLevel, message: unknown, context: string | undefined): void {
    if (LOG_LEVELS.indexOf(level) > this.threshold) return;
    const fields = typeof message === 'object' && message !== null ? message : { msg: String(message) };
    // eslint-disable-next-line no-restricted-syntax -- log lines carry the wall-clock time they were written
    const line = JSON.stringify({ time: new Date().toISOString(), level, context, ...fields });
    this.write(redactSecrets(line));
  }
}

/** Nest passes (message, stack?, context?) to error(); only the context is kept, stacks stay out of logs. */
function contextOf(rest: unknown[]): string | undefined {
  const last = rest[rest.length - 1];
  return typeof last === 'string' ? last : undefined;
}
