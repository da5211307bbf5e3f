/**
 * CLI messages go to stderr with a level; results (the summary) go to stdout. Callers pass identifiers and
 * figures only: never a patient's values (only patient_id may identify a patient in any log line).
 */
type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface CliLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createCliLog(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): CliLog {
  const at = (l: LogLevel) => (message: string) => {
    if (ORDER[l] >= ORDER[level]) write(`${l === 'info' ? '' : `${l}: `}${message}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
