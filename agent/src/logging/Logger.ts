/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A structured logger writing one JSON object per line. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Creates a JSON-lines logger; `write` defaults to stdout. */
export function createLogger(
  level: LogLevel = 'info',
  base: LogFields = {},
  write: (line: string) => void = line => process.stdout.write(line),
): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(lvl) < min) return;
    const entry: LogFields = {
      time: new Date().toISOString(),
      level: lvl,
      msg,
      ...base,
    };
    for (const [k, v] of Object.entries(fields ?? {})) {
      entry[k] = v instanceof Error ? v.message : v;
    }
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: fields => createLogger(level, { ...base, ...fields }, write),
  };
}

/** A logger that discards everything. */
export const silentLogger: Logger = createLogger('error', {}, () => {});
