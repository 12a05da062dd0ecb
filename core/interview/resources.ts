// Where an interview and its follow-up tasks sit for the central authorization (core/authz): the
// summoned unit and its county.
import type { ResourceTable } from '../authz/resources';

/** Resource types of this domain (listed in core/authz/resource-list.ts). */
export const INTERVIEW_RESOURCES = {
  interview: {
    label: '约谈',
    load: async (prisma, id) => {
      const iv = await prisma.interview.findUnique({
        where: { id },
        select: { unit: { select: { id: true, regionCode: true } } },
      });
      return iv ? { unitId: iv.unit.id, regionCode: iv.unit.regionCode } : null;
    },
  },
  'interview-task': {
    label: '约谈整改任务',
    load: async (prisma, id) => {
      const t = await prisma.interviewTask.findUnique({
        where: { id },
        select: { interview: { select: { unit: { select: { id: true, regionCode: true } } } } },
      });
      return t ? { unitId: t.interview.unit.id, regionCode: t.interview.unit.regionCode } : null;
    },
  },
} satisfies ResourceTable;
