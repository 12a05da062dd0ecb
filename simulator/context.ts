// What every route module receives.
import type { SimulatorState } from './state';
import type { StreamHub } from './stream/hub';

/** Minimal logger the simulator writes to. */
export interface SimLogger {
  info(...a: unknown[]): void;
  warn(...a: unknown[]): void;
  error(...a: unknown[]): void;
}

/** Shared handles for routes and services. */
export interface SimContext {
  state: SimulatorState;
  stream: StreamHub;
  logger: SimLogger;
  /** `http://host:port` of the running simulator. */
  baseUrl(): string;
}
