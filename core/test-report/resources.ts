// Where a test report sits, for the central authorization (core/authz): with its unit.
import { unitScope, UNIT_OF, type ResourceTable } from '../authz/resources';

/** Resource types of this domain (listed in core/authz/resource-list.ts). */
export const TEST_REPORT_RESOURCES = {
  'test-report': {
    label: '检测报告',
    load: async (prisma, id) => unitScope(await prisma.testReport.findUnique({ where: { id }, select: UNIT_OF })),
  },
} satisfies ResourceTable;
