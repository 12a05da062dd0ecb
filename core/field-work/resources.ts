// Where a testing plan sits, for the central authorization (core/authz): with its unit and its
// agency (the agency's staff reach their own plans).
import { unitScope, UNIT_OF, type ResourceTable } from '../authz/resources';

/** Resource types of this domain (listed in core/authz/resource-list.ts). */
export const FIELD_WORK_RESOURCES = {
  'test-plan': {
    label: '检测计划',
    load: async (prisma, id) => {
      const p = await prisma.testPlan.findUnique({ where: { id }, select: { agencyId: true, ...UNIT_OF } });
      return unitScope(p, { agencyId: p?.agencyId });
    },
  },
} satisfies ResourceTable;
