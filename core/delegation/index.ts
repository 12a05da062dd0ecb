// Delegation while away (委托, issue #21): naming a deputy for a date range, and handing tasks to
// the deputy while it runs.
export { applyDelegations, type AppliedDelegation } from './resolve';
export {
  createDelegation,
  cancelDelegation,
  listDelegations,
  delegationCandidates,
  delegationInputSchema,
  DELEGATION_ERRORS,
  DELEGATION_MAX_DAYS,
  type DelegationView,
} from './delegations';
