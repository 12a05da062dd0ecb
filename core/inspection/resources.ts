// Where inspections and 双随机 draws sit, for the central authorization (core/authz): an
// inspection belongs to its unit; a draw to the region it was drawn in.
import { unitScope, UNIT_OF, type ResourceTable } from '../authz/resources';

/** Resource types of this domain (listed in core/authz/resource-list.ts). */
export const INSPECTION_RESOURCES = {
  inspection: {
    label: '检查记录',
    load: async (prisma, id) => unitScope(await prisma.inspection.findUnique({ where: { id }, select: UNIT_OF })),
  },
  'inspection-draw': {
    label: '抽查记录',
    load: async (prisma, id) => {
      const d = await prisma.inspectionDraw.findUnique({ where: { id }, select: { regionCode: true } });
      return d ? { unitId: null, regionCode: d.regionCode } : null;
    },
  },
} satisfies ResourceTable;
