// A regulator enters a unit (扫码入企, 国办发〔2024〕54号): every inspection that enters a unit is
// scanned in on site and traceable — who, when, where (with consent), which checklist, and later
// the outcome. Scanning the unit's code resumes the inspector's open inspection of that unit (a
// drawn or planned one is scanned in now), or starts a code inspection by the bureau, which counts
// against the unit's yearly cap (inspection-cap.ts: beyond it only with a reason). The visit's
// checklist combines everything due for the unit (combined-checklist.ts, 一表通查), and inspections
// of the unit by another bureau within the warning window warn both (repeat-warning.ts). The
// caller has checked the code's signature, that it is the unit's current code, and the caller's
// jurisdiction.
import { appendAudit } from '../audit';
import type { PrismaClient, Tx } from '../db';
import { shanghaiMinute } from '../domain/working-days';
import { PermissionError } from '../errors';
import { recordSiteVisit, scanLocationText, type ScanLocation } from '../field-work/site-scan';
import { addDeliveries } from '../outbox/add-deliveries';
import { combinedItems } from './combined-checklist';
import { openBureauInspection, type InspectionCaps } from './inspection-cap';
import { repeatWarnings } from './repeat-warning';

/** Settings of regulator inspections (core/config.ts). */
export interface InspectionRules {
  caps: InspectionCaps;
  repeatWarnDays: number;
  /** Scans farther than this from the unit's registered position are flagged. */
  maxDistanceM: number;
}

/** A regulator's scan at a unit. */
export interface ScanIn {
  personId: string;
  unitId: string;
  code: string;
  scan: ScanLocation;
  /** Why, when a new inspection would be beyond the unit's yearly cap. */
  reason?: string;
}

/** What the scan did. */
export interface ScanInResult {
  inspectionId: string;
  /** An inspection already assigned to the inspector (drawn, planned, or scanned in before). */
  resumed: boolean;
  visit: { at: string; text: string; distanceFlagged: boolean; earlier: boolean };
  overCap: boolean;
  deliveryIds: string[];
}

/** The regulator's bureau (a scan-in needs one). */
export async function inspectorOrg(tx: Tx, personId: string): Promise<string> {
  const me = await tx.person.findUnique({ where: { id: personId }, select: { orgId: true } });
  if (!me?.orgId) throw new PermissionError('您的账号未关联气象主管机构，不能进入单位检查', 'ORG_REQUIRED');
  return me.orgId;
}

/** Scans a regulator in; see the file comment. */
export async function scanIntoUnit(
  prisma: PrismaClient,
  input: ScanIn,
  opts: InspectionRules & { publicBaseUrl: string; now?: Date },
): Promise<ScanInResult> {
  const now = opts.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const orgId = await inspectorOrg(tx, input.personId);
    const unit = await tx.unit.findUniqueOrThrow({
      where: { id: input.unitId },
      select: { id: true, name: true, category: true, lat: true, lng: true },
    });
    // Array filters in code: the PGlite adapter mishandles `has` on arrays (hazard-scope.ts).
    const open = (
      await tx.inspection.findMany({
        where: { unitId: unit.id, status: 'IN_PROGRESS', mode: { not: 'SELF_CHECK' } },
        select: { id: true, inspectorIds: true, orgId: true, visit: true },
        orderBy: { startedAt: 'asc' },
        take: 50,
      })
    ).filter((i) => i.inspectorIds.includes(input.personId));
    const scanned = open.find((i) => i.visit);
    const assigned = open.find((i) => !i.visit);
    if (scanned && !assigned) {
      const v = scanned.visit!;
      return {
        inspectionId: scanned.id,
        resumed: true,
        visit: {
          at: shanghaiMinute(v.scannedAt),
          text: scanLocationText(v),
          distanceFlagged: v.distanceFlagged,
          earlier: true,
        },
        overCap: false,
        deliveryIds: [],
      };
    }

    let inspectionId: string;
    let overCap = false;
    const extraItems = (await combinedItems(tx, unit.id, now)) as unknown as object[];
    if (assigned) {
      inspectionId = assigned.id;
      await tx.inspection.update({ where: { id: assigned.id }, data: { extraItems, orgId: assigned.orgId ?? orgId } });
    } else {
      const opened = await openBureauInspection(tx, {
        personId: input.personId,
        orgId,
        unit,
        mode: 'CODE',
        caps: opts.caps,
        reason: input.reason,
        now,
        action: 'inspection.started',
        extraItems,
      });
      inspectionId = opened.id;
      overCap = opened.overCap;
    }
    const visit = await recordSiteVisit(tx, {
      kind: 'INSPECTION',
      unit,
      personId: input.personId,
      code: input.code,
      scan: input.scan,
      maxDistanceM: opts.maxDistanceM,
      at: now,
      orgId,
      inspectionId,
    });
    await appendAudit(tx, {
      actorKind: 'PERSON',
      actorPersonId: input.personId,
      action: 'inspection.scanned-in',
      subjectType: 'inspection',
      subjectId: inspectionId,
      data: {
        unitId: unit.id,
        visitId: visit.id,
        locationStatus: visit.locationStatus,
        distanceM: visit.distanceM,
        distanceFlagged: visit.distanceFlagged,
        extraItems: extraItems.length,
      },
    });
    const deliveryIds = await addDeliveries(
      tx,
      await repeatWarnings(tx, inspectionId, { windowDays: opts.repeatWarnDays, publicBaseUrl: opts.publicBaseUrl }),
    );
    return {
      inspectionId,
      resumed: Boolean(assigned),
      visit: {
        at: shanghaiMinute(visit.scannedAt),
        text: scanLocationText(visit),
        distanceFlagged: visit.distanceFlagged,
        earlier: false,
      },
      overCap,
      deliveryIds,
    };
  });
}
