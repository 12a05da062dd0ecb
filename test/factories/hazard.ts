// Hazard factory: creates the unit too when none is given.
import type { Hazard, Prisma } from '../../core/db/generated/client';
import { addCalendarDays } from '../../core/domain/working-days';
import type { Db } from './db';
import { createUnit } from './unit';

/** Creates a hazard: 接地电阻超标, 一般隐患, PENDING, deadline in 15 days (docs/domain-reference.md §8.4 demo). */
export async function createHazard(
  db: Db,
  overrides: Partial<Prisma.HazardUncheckedCreateInput> = {},
): Promise<Hazard> {
  const unitId = overrides.unitId ?? (await createUnit(db)).id;
  const foundAt = overrides.foundAt ? new Date(overrides.foundAt) : new Date();
  return db.hazard.create({
    data: {
      source: 'ENFORCEMENT',
      type: 'EARTH_R',
      grade: 'GENERAL',
      description: '接地电阻 18.6 Ω，超过 10 Ω 限值',
      foundAt,
      deadline: addCalendarDays(foundAt, 15),
      ...overrides,
      unitId,
    },
  });
}
