// Small factories for tests: each creates what it needs (region chain, unit) and accepts overrides.
export { TEST_DATA_KEY, nextSeq, uniqueSuffix, type Db } from './db';
export { ensureRegion, createOrg } from './region';
export { createUnit } from './unit';
export { createPerson, type PersonFactoryInput } from './person';
export { createHazard } from './hazard';
