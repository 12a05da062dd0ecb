// Where a test report sits, for the central authorization (core/authz): with its unit. Imported by
// the routes that name the resource type.
import { defineResource } from '../authz';

defineResource('test-report', '检测报告', async (prisma, id) => {
  const r = await prisma.testReport.findUnique({
    where: { id },
    select: { unit: { select: { id: true, regionCode: true } } },
  });
  return r ? { unitId: r.unit.id, regionCode: r.unit.regionCode } : null;
});
