// The logger the simulator writes to (the product's pino logger or the console fit it).

/** Minimal logger the simulator writes to. */
export interface SimLogger {
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
}
