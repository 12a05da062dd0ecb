// What every route module receives.
import type { SimulatorState } from './state';
import type { StreamHub } from './stream/hub';
import type { SimLogger } from './logger';

export type { SimLogger } from './logger';

/** Shared handles for routes and services. */
export interface SimContext {
  state: SimulatorState;
  stream: StreamHub;
  logger: SimLogger;
  /** `http://host:port` of the running simulator. */
  baseUrl(): string;
}
