// Where an approval sits for the central authorization (core/authz): the subject's region, the
// applicant's unit, and the applicant themself.
import type { ResourceTable } from '../authz/resources';

/** Resource types of this domain (listed in core/authz/resource-list.ts). */
export const APPROVAL_RESOURCES = {
  approval: {
    label: '审批',
    load: async (prisma, id) => {
      const a = await prisma.approvalInstance.findUnique({
        where: { id },
        select: { regionCode: true, createdById: true, createdBy: { select: { unitId: true } } },
      });
      return a ? { unitId: a.createdBy?.unitId ?? null, regionCode: a.regionCode, personId: a.createdById } : null;
    },
  },
} satisfies ResourceTable;
