// Person factory: roles, links and an encrypted mobile (with TEST_DATA_KEY unless given).
import type { Person, Prisma } from '../../core/db/generated/client';
import type { PersonRole } from '../../core/db/generated/enums';
import { protectMobile, type DataKey } from '../../core/crypto';
import { nextSeq, TEST_DATA_KEY, uniqueSuffix, type Db } from './db';

/** Options beyond the columns: a clear-text mobile to encrypt, and the key to use. */
export interface PersonFactoryInput extends Partial<Omit<Prisma.PersonUncheckedCreateInput, 'roles'>> {
  roles?: PersonRole[];
  mobile?: string | null;
  dataKey?: DataKey;
}

/** Creates a person; by default a unit manager with a unique dingUserId and mobile. */
export async function createPerson(db: Db, input: PersonFactoryInput = {}): Promise<Person> {
  const { mobile, dataKey, ...overrides } = input;
  const suffix = uniqueSuffix();
  const clear =
    mobile === undefined ? `139${String((process.pid * 7919 + nextSeq()) % 100_000_000).padStart(8, '0')}` : mobile;
  return db.person.create({
    data: {
      name: `测试人员${suffix}`,
      roles: ['UNIT_MANAGER'],
      dingUserId: `u_test_${suffix}`,
      ...(clear ? protectMobile(dataKey ?? TEST_DATA_KEY, clear) : {}),
      ...overrides,
    },
  });
}
