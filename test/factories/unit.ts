// Key-unit factory: a valid USCC, a region chain, sensible defaults; override anything.
import type { Prisma, Unit } from '../../core/db/generated/client';
import { generateUscc } from '../../core/domain/uscc';
import { nextSeq, uniqueSuffix, type Db } from './db';
import { ensureRegion } from './region';

/** Creates a key unit (重点单位). Defaults: 余杭区, 易燃易爆, half-year cycle, tested 3 months ago. */
export async function createUnit(db: Db, overrides: Partial<Prisma.UnitUncheckedCreateInput> = {}): Promise<Unit> {
  const regionCode = overrides.regionCode ?? '330110';
  await ensureRegion(db, regionCode);
  const seq = nextSeq();
  const lastTestDate = new Date(Date.now() - 90 * 86_400_000);
  return db.unit.create({
    data: {
      uscc: generateUscc(regionCode, 2_000_000 + ((process.pid * 1000 + seq) % 20_000_000)),
      name: `测试单位${uniqueSuffix()}`,
      address: '浙江省杭州市余杭区测试路 1 号',
      category: 'FLAMMABLE',
      lpClass: 2,
      halfYearCycle: true,
      lastTestDate,
      nextDueDate: new Date(lastTestDate.getTime() + 182 * 86_400_000),
      supervisionCode: `T${uniqueSuffix()}`,
      ...overrides,
      regionCode,
    },
  });
}
