// Contact events from DingTalk (stream EVENT frames or HTTP callbacks, same handler):
// user_leave_org deactivates the persons bound to the leaving userIds. Other events are ignored.
import { z } from 'zod';
import type { PrismaClient } from '../../core/db';
import type { Logger } from '../../core/logger';
import { deactivateLeavers } from '../../core/person/leave-org';
import type { StreamEvent } from '../clients/stream/types';

const leaveData = z.object({ UserId: z.array(z.string().min(1).max(64)).max(1000) });

/** The EVENT handler (register with StreamConnection.onEvent). */
export function orgEventHandler(deps: { prisma: PrismaClient; logger: Logger }): (event: StreamEvent) => Promise<void> {
  return async (event) => {
    if (event.eventType !== 'user_leave_org') return;
    const parsed = leaveData.safeParse(event.data);
    if (!parsed.success) {
      deps.logger.warn({ eventId: event.eventId }, 'user_leave_org without a UserId list ignored');
      return;
    }
    const ids = await deactivateLeavers(deps.prisma, parsed.data.UserId, { eventId: event.eventId });
    deps.logger.info({ eventId: event.eventId, deactivated: ids.length }, 'persons left the organisation');
  };
}
