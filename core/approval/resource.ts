// Where an approval sits for the central authorization (core/authz): the subject's region, the
// applicant's unit, and the applicant themself.
import { defineResource } from '../authz';

defineResource('approval', '审批', async (prisma, id) => {
  const a = await prisma.approvalInstance.findUnique({
    where: { id },
    select: { regionCode: true, createdById: true, createdBy: { select: { unitId: true } } },
  });
  return a ? { unitId: a.createdBy?.unitId ?? null, regionCode: a.regionCode, personId: a.createdById } : null;
});
