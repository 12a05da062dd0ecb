// Settings the domain rules read: approval flows in force and their timer offsets, the hazard plan
// of new hazards.
import { configureApprovalTimers, syncApprovalDefinitions } from '../../core/approval';
import type { Config } from '../../core/config';
import type { PrismaClient } from '../../core/db';
import { storeMissingPlans } from '../../core/hazard/schedule';

/** Applies the settings; an invalid site approval definition stops the start here. */
export async function applyDomainSettings(config: Config, prisma: PrismaClient): Promise<void> {
  configureApprovalTimers({
    remindBeforeMs: config.approval.remindBeforeMs,
    escalateAfterMs: config.approval.escalateAfterMs,
  });
  // Approval flows in force (shipped + site).
  await syncApprovalDefinitions(prisma, { file: config.approval.definitionsFile });
  // Hazards filed before plans were stored keep the plan of the settings in force now; new ones
  // take theirs when filed (the routes and commands hand config.hazard to fileHazard).
  await storeMissingPlans(prisma, config.hazard);
}
