/** Log levels, most severe first. */
export const LogLevel = {
  Error: 0,
  Warning: 1,
  Info: 2,
  Verbose: 3,
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** Receives library log lines. Lines never contain tokens, codes or secrets. */
export type LoggerCallback = (level: LogLevel, message: string, correlationId?: string) => void;

/** Logger configuration (`system.logger`). */
export interface LoggerOptions {
  /** Where lines go; default: nowhere. */
  loggerCallback?: LoggerCallback;
  /** The most verbose level passed on; default {@link LogLevel.Warning}. */
  level?: LogLevel;
}

/** The library's internal logger. */
export interface Logger {
  error(message: string, correlationId?: string): void;
  warning(message: string, correlationId?: string): void;
  info(message: string, correlationId?: string): void;
  verbose(message: string, correlationId?: string): void;
}

/** Builds the internal logger from configuration. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const max = options.level ?? LogLevel.Warning;
  const sink = options.loggerCallback;
  const emit = (level: LogLevel) => (message: string, correlationId?: string) => {
    if (sink !== undefined && level <= max) sink(level, message, correlationId);
  };
  return {
    error: emit(LogLevel.Error),
    warning: emit(LogLevel.Warning),
    info: emit(LogLevel.Info),
    verbose: emit(LogLevel.Verbose),
  };
}

/** A logger that drops everything (tests, defaults). */
export const silentLogger: Logger = createLogger();
