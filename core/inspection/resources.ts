// Where inspections and 双随机 draws sit, for the central authorization (core/authz): an
// inspection belongs to its unit; a draw to the region it was drawn in. Imported by the routes
// that name these resource types.
import { defineResource } from '../authz';

defineResource('inspection', '检查记录', async (prisma, id) => {
  const i = await prisma.inspection.findUnique({
    where: { id },
    select: { unit: { select: { id: true, regionCode: true } } },
  });
  return i?.unit ? { unitId: i.unit.id, regionCode: i.unit.regionCode } : null;
});

defineResource('inspection-draw', '抽查记录', async (prisma, id) => {
  const d = await prisma.inspectionDraw.findUnique({ where: { id }, select: { regionCode: true } });
  return d ? { unitId: null, regionCode: d.regionCode } : null;
});
