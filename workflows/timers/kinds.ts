// Every timer kind's handler file, imported once here for its defineTimerKind side effect, so
// that every process firing timers knows every kind. Add one line per feature:
//   import '../hazard/timers';
import '../approval/approval.timers';
import '../interview/timers';
import '../warning/timers';
import '../hazard/timers';
export {};
