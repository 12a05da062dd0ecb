// An on-site scan of a unit's supervision code (扫码入企, 国办发〔2024〕54号; 扫码检测, 浙里防雷安全):
// the time, the person, and the device location only when the person allows it. The distance from
// the unit's registered position is recorded and flagged beyond ANOMALY_SCAN_MAX_DISTANCE_M, never
// refused: a site's gate can be far from its registered address, and a regulator reviews the flag.
import { z } from 'zod';
import type { Tx } from '../db';
import type { ScanLocationStatus, SiteVisitKind } from '../db/generated/enums';
import { ValidationError } from '../errors';
import { distanceM } from '../test-report/anomaly-rules';

/** A device position as the browser's geolocation gives it (sent only with the person's consent). */
export const devicePositionSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracy: z.number().min(0).max(100_000).optional(),
});

/** The location part of a scan, as the mini-app sends it. */
export const scanLocationSchema = z
  .object({
    /** Only when the person ticked the consent box and the browser gave a position. */
    location: devicePositionSchema.nullish(),
    /** GIVEN with a location; DENIED when the person or the browser refused; UNAVAILABLE otherwise. */
    locationStatus: z.enum(['GIVEN', 'DENIED', 'UNAVAILABLE']).default('UNAVAILABLE'),
  })
  .refine((s) => (s.locationStatus === 'GIVEN') === Boolean(s.location), {
    message: '位置状态与位置不符：有位置时状态应为 GIVEN',
    path: ['locationStatus'],
  });

/** A parsed scan location. */
export type ScanLocation = z.output<typeof scanLocationSchema>;

/** Parses the location part of a scan body (a bad one is refused with a Chinese message). */
export function parseScanLocation(raw: unknown): ScanLocation {
  const parsed = scanLocationSchema.safeParse(raw ?? {}, { error: z.locales.zhCN().localeError });
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, '现场位置');
  return parsed.data;
}

/** Distance of a scan from the unit's registered position, and whether it is beyond the limit. */
export function scanDistance(
  unit: { lat: number | null; lng: number | null },
  scan: ScanLocation,
  maxDistanceM: number,
): { distanceM: number | null; flagged: boolean } {
  if (!scan.location || unit.lat === null || unit.lng === null) return { distanceM: null, flagged: false };
  const m = Math.round(distanceM(scan.location, { lat: unit.lat, lng: unit.lng }));
  return { distanceM: m, flagged: m > maxDistanceM };
}

/** Writes the visit record of a scan (in the caller's transaction). */
export async function recordSiteVisit(
  tx: Tx,
  v: {
    kind: SiteVisitKind;
    unit: { id: string; lat: number | null; lng: number | null };
    personId: string;
    code: string;
    scan: ScanLocation;
    maxDistanceM: number;
    at: Date;
    orgId?: string | null;
    agencyId?: string | null;
    testPlanId?: string;
    inspectionId?: string;
  },
) {
  const { distanceM: m, flagged } = scanDistance(v.unit, v.scan, v.maxDistanceM);
  const status: ScanLocationStatus = v.scan.locationStatus;
  return tx.siteVisit.create({
    data: {
      kind: v.kind,
      unitId: v.unit.id,
      personId: v.personId,
      orgId: v.orgId ?? null,
      agencyId: v.agencyId ?? null,
      testPlanId: v.testPlanId,
      inspectionId: v.inspectionId,
      code: v.code,
      scannedAt: v.at,
      location: v.scan.location ? { ...v.scan.location } : undefined,
      locationStatus: status,
      distanceM: m,
      distanceFlagged: flagged,
    },
  });
}

/** One line for people about a scan's location: where it was, or why it is missing. */
export function scanLocationText(visit: {
  locationStatus: ScanLocationStatus;
  distanceM: number | null;
  distanceFlagged: boolean;
}): string {
  if (visit.locationStatus === 'DENIED') return '未授权定位，未记录位置';
  if (visit.locationStatus === 'UNAVAILABLE') return '未能获取位置';
  if (visit.distanceM === null) return '已记录位置（单位未登记坐标，无法计算距离）';
  return `距单位登记位置 ${visit.distanceM} 米${visit.distanceFlagged ? '，超出范围，已标记' : ''}`;
}
