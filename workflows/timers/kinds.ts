// Every timer kind this product fires, one table per feature, so that every process firing timers
// knows every kind whatever else it imports. Add a feature's table here.
import { APPROVAL_TIMERS } from '../approval/approval.timers';
import { HAZARD_TIMERS } from '../hazard/timers';
import { INTERVIEW_TIMERS } from '../interview/timers';
import { WARNING_TIMERS } from '../warning/timers';
import { timerKindTable } from './registry';

/** Every timer kind, by name. */
export const TIMER_KINDS = timerKindTable(APPROVAL_TIMERS, INTERVIEW_TIMERS, WARNING_TIMERS, HAZARD_TIMERS);
