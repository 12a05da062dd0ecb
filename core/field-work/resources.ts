// Where a testing plan sits, for the central authorization (core/authz): with its unit and its
// agency (the agency's staff reach their own plans).
import type { ResourceTable } from '../authz/resources';

/** Resource types of this domain (listed in core/authz/resource-list.ts). */
export const FIELD_WORK_RESOURCES = {
  'test-plan': {
    label: '检测计划',
    load: async (prisma, id) => {
      const p = await prisma.testPlan.findUnique({
        where: { id },
        select: { agencyId: true, unit: { select: { id: true, regionCode: true } } },
      });
      return p ? { unitId: p.unit.id, regionCode: p.unit.regionCode, agencyId: p.agencyId } : null;
    },
  },
} satisfies ResourceTable;
