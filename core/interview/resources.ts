// Where an interview and its follow-up tasks sit for the central authorization (core/authz): the
// summoned unit and its county.
import { defineResource } from '../authz';

defineResource('interview', '约谈', async (prisma, id) => {
  const iv = await prisma.interview.findUnique({
    where: { id },
    select: { unit: { select: { id: true, regionCode: true } } },
  });
  return iv ? { unitId: iv.unit.id, regionCode: iv.unit.regionCode } : null;
});

defineResource('interview-task', '约谈整改任务', async (prisma, id) => {
  const t = await prisma.interviewTask.findUnique({
    where: { id },
    select: { interview: { select: { unit: { select: { id: true, regionCode: true } } } } },
  });
  return t ? { unitId: t.interview.unit.id, regionCode: t.interview.unit.regionCode } : null;
});
