// Where an interview and its follow-up tasks sit for the central authorization (core/authz): the
// summoned unit and its county.
import { unitScope, UNIT_OF, type ResourceTable } from '../authz/resources';

/** Resource types of this domain (listed in core/authz/resource-list.ts). */
export const INTERVIEW_RESOURCES = {
  interview: {
    label: '约谈',
    load: async (prisma, id) => unitScope(await prisma.interview.findUnique({ where: { id }, select: UNIT_OF })),
  },
  'interview-task': {
    label: '约谈整改任务',
    load: async (prisma, id) => {
      const t = await prisma.interviewTask.findUnique({ where: { id }, select: { interview: { select: UNIT_OF } } });
      return unitScope(t?.interview ?? null);
    },
  },
} satisfies ResourceTable;
