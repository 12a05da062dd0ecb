// Durable timers: rows in Postgres, fired by the timers.pump job. Setting and cancelling happen in
// core (core/timers, in the caller's transaction); handlers are tables per feature in the feature's
// workflow code, listed in ./kinds.ts. Import from here (not from the job files) to avoid
// import cycles.
export { cancelTimers, setTimer, type TimerFilter, type TimerSpec } from '../../core/timers';
export { timerKindTable, type TimerContext, type TimerHandler, type TimerKinds, type TimerResult } from './registry';
