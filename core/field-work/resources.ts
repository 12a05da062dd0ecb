// Where a testing plan sits, for the central authorization (core/authz): with its unit and its
// agency (the agency's staff reach their own plans). Imported by the routes that name it.
import { defineResource } from '../authz';

defineResource('test-plan', '检测计划', async (prisma, id) => {
  const p = await prisma.testPlan.findUnique({
    where: { id },
    select: { agencyId: true, unit: { select: { id: true, regionCode: true } } },
  });
  return p ? { unitId: p.unit.id, regionCode: p.unit.regionCode, agencyId: p.agencyId } : null;
});
