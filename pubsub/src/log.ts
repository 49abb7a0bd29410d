/** The subset of a pino logger the bus uses. */
export interface BusLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = () => {};
export const silentLogger: BusLogger = { debug: noop, info: noop, warn: noop, error: noop };
