// Settings the domain rules read from the database at start-up: approval flows in force, and the
// plan of hazards filed before plans were stored. Settings that commands use (hazard plans,
// approval timer offsets) travel with each command's options instead (app/wiring/routers.ts,
// card-action-deps.ts, WorkflowDeps.config).
import { syncApprovalDefinitions } from '../../core/approval';
import type { Config } from '../../core/config';
import type { PrismaClient } from '../../core/db';
import { storeMissingPlans } from '../../core/hazard/schedule';

/** Applies the settings; an invalid site approval definition stops the start here. */
export async function applyDomainSettings(config: Config, prisma: PrismaClient): Promise<void> {
  // Approval flows in force (shipped + site).
  await syncApprovalDefinitions(prisma, { file: config.approval.definitionsFile });
  // Hazards filed before plans were stored keep the plan of the settings in force now; new ones
  // take theirs when filed.
  await storeMissingPlans(prisma, config.hazard);
}
