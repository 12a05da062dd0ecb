// Where a test report sits, for the central authorization (core/authz): with its unit.
import type { ResourceTable } from '../authz/resources';

/** Resource types of this domain (listed in core/authz/resource-list.ts). */
export const TEST_REPORT_RESOURCES = {
  'test-report': {
    label: '检测报告',
    load: async (prisma, id) => {
      const r = await prisma.testReport.findUnique({
        where: { id },
        select: { unit: { select: { id: true, regionCode: true } } },
      });
      return r ? { unitId: r.unit.id, regionCode: r.unit.regionCode } : null;
    },
  },
} satisfies ResourceTable;
