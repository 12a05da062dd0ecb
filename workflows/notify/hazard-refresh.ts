// After a hazard command commits: dispatch its deliveries and refresh every card about the hazard
// (the alert cards of the unit's people, the verify cards of its submissions), for every recipient
// (issue #4 part 5).
import type { PrismaClient } from '../../core/db';
import type { AfterHazardCommand } from '../../core/hazard/transition';
import type { JobQueues } from '../job-queues';

/** Subjects whose cards show the state of a hazard (extension requests are approval cards, refreshed by the engine). */
export async function hazardCardSubjects(
  prisma: PrismaClient,
  hazardId: string,
): Promise<Array<{ subjectType: string; subjectId: string }>> {
  const rects = await prisma.rectification.findMany({ where: { hazardId }, select: { id: true } });
  return [
    { subjectType: 'hazard', subjectId: hazardId },
    ...rects.map((r) => ({ subjectType: 'rectification', subjectId: r.id })),
  ];
}

/** Builds the after-commit step from the process's parts. */
export function afterHazardCommand(deps: {
  prisma: PrismaClient;
  queues: JobQueues;
  dispatch(ids: string[]): Promise<unknown>;
}): AfterHazardCommand {
  return async ({ hazardId, deliveryIds, refresh = [] }) => {
    if (deliveryIds.length > 0) await deps.dispatch(deliveryIds);
    for (const s of [...(await hazardCardSubjects(deps.prisma, hazardId)), ...refresh])
      await deps.queues.enqueue('notify.card-refresh', s);
  };
}
