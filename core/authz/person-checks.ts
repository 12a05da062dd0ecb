// Checks on the person who runs a core command inside its transaction (issue #4 "Permissions and
// bad input", #24): a regulator acts only within their bureau's jurisdiction, a unit's manager only
// for their unit. The route middleware (miniapp/authz) checks requests by the policy table; these
// are the same rules for commands that arrive through cards, chat and timers.
import type { Tx } from '../db';
import { regionMatches } from '../domain/region';
import { PermissionError } from '../errors';

/** Throws unless `personId` is an active regulator whose bureau's jurisdiction covers the region. */
export async function assertRegulatorFor(
  tx: Tx,
  personId: string,
  unitRegionCode: string,
  notRegulator = '只有气象主管机构执法人员可以登记隐患',
) {
  const p = await tx.person.findUnique({ where: { id: personId }, include: { org: true } });
  if (!p || !p.active) throw new PermissionError('未找到该执法人员或账号已停用');
  if (!p.roles.includes('REGULATOR') || !p.org) throw new PermissionError(notRegulator, 'NOT_REGULATOR');
  if (!regionMatches(p.org.regionCode, unitRegionCode))
    throw new PermissionError('该单位不在您所在机构的管辖范围内', 'OUT_OF_JURISDICTION');
  return p;
}

/** Throws unless `personId` is a regulator whose jurisdiction covers the unit; returns the person. */
export async function assertRegulatorOf(tx: Tx, personId: string, unitId: string) {
  const unit = await tx.unit.findUniqueOrThrow({ where: { id: unitId }, select: { regionCode: true } });
  return assertRegulatorFor(tx, personId, unit.regionCode, '只有辖区气象主管机构执法人员可以处理');
}

/** A regulator may only enter or lift warnings for regions of their own bureau. */
export async function assertRegulatorRegions(
  tx: Tx,
  personId: string | undefined,
  regionCodes: string[],
): Promise<void> {
  if (!personId) throw new PermissionError('请先登录');
  const p = await tx.person.findUnique({ where: { id: personId }, include: { org: true } });
  if (!p || !p.active || !p.roles.includes('REGULATOR') || !p.org)
    throw new PermissionError('只有气象主管机构执法人员可以发布预警');
  const outside = regionCodes.filter((c) => !regionMatches(p.org!.regionCode, c));
  if (outside.length > 0) throw new PermissionError(`区域 ${outside.join('、')} 不在您所在机构的管辖范围内`);
}

/** Throws unless `personId` is an active manager of the unit; returns the person. */
export async function assertUnitManager(tx: Tx, personId: string, unitId: string, what: string) {
  const p = await tx.person.findUnique({ where: { id: personId } });
  if (!p || !p.active) throw new PermissionError('未找到您的人员信息，请联系管理员');
  if (p.unitId !== unitId || !p.roles.includes('UNIT_MANAGER')) {
    throw new PermissionError(`只有该单位的负责人可以${what}`, 'NOT_UNIT_MANAGER');
  }
  return p;
}
