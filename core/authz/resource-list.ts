// Every resource type a route may name, listed here rather than registered by importing a file
// for its side effect (issue #24): whether a type exists does not depend on which routers a
// process happens to load.
import { APPROVAL_RESOURCES } from '../approval/resource';
import { FIELD_WORK_RESOURCES } from '../field-work/resources';
import { INSPECTION_RESOURCES } from '../inspection/resources';
import { INTERVIEW_RESOURCES } from '../interview/resources';
import { TEST_REPORT_RESOURCES } from '../test-report/resources';
import { HAZARD_RESOURCES, type ResourceTable, type ResourceType } from './resources';

/** The resource types, by name. */
export const RESOURCES: ResourceTable = {
  ...HAZARD_RESOURCES,
  ...APPROVAL_RESOURCES,
  ...FIELD_WORK_RESOURCES,
  ...INSPECTION_RESOURCES,
  ...INTERVIEW_RESOURCES,
  ...TEST_REPORT_RESOURCES,
};

/** The resource type, or undefined. */
export function resourceType(type: string): ResourceType | undefined {
  return Object.hasOwn(RESOURCES, type) ? RESOURCES[type] : undefined;
}

/** Names of every resource type (tests enumerate them). */
export function resourceTypes(): string[] {
  return Object.keys(RESOURCES);
}
