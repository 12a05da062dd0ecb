// The demo's named actors: fixed ids for the first thread's story (余杭区 regulator and the 石化仓储
// unit) and the people who play each role in the simulator's person picker.
import type { PersonRole } from '../generated/enums';
import { AGENCIES } from './agencies';
import { DEMO_UNITS } from './units';

/** Fixed ids of the demo actors (the first thread's story: 余杭区 regulator and the 石化仓储 unit). */
export const DEMO = {
  unitId: DEMO_UNITS[0].id,
  unitUscc: DEMO_UNITS[0].uscc,
  unitName: DEMO_UNITS[0].name,
  orgId: 'de300000-0000-4000-8000-000000000301',
  regulatorPersonId: 'de300000-0000-4000-8000-000000000001',
  regulatorDingUserId: 'u_zhouzhiyuan',
  regulatorName: '周志远',
  unitManagerPersonId: 'de300000-0000-4000-8000-000000000002',
  unitManagerDingUserId: 'u_chenxiaofeng',
  unitManagerName: '陈晓峰',
  legalRepPersonId: 'de300000-0000-4000-8000-000000000003',
  legalRepDingUserId: 'u_wanghaiyan',
  leaderPersonId: 'de300000-0000-4000-8000-000000000004',
  leaderDingUserId: 'u_linguohua',
  adminPersonId: 'de300000-0000-4000-8000-000000000005',
  adminDingUserId: 'u_admin',
  agencyId: AGENCIES[0].id,
  agencyStaffPersonId: 'de300000-0000-4000-8000-000000000006',
  agencyStaffDingUserId: 'u_sunjie',
} as const;

/** The demo's people by role, as the simulator's person picker shows them first. */
export const DEMO_PEOPLE_BY_ROLE: Array<{ label: string; userIds: string[] }> = [
  { label: '执法人员', userIds: [DEMO.regulatorDingUserId] },
  { label: '单位负责人', userIds: [DEMO.unitManagerDingUserId] },
  { label: '法定代表人', userIds: [DEMO.legalRepDingUserId] },
  { label: '分管领导', userIds: [DEMO.leaderDingUserId] },
  { label: '检测机构', userIds: [DEMO.agencyStaffDingUserId] },
  { label: '系统管理员', userIds: [DEMO.adminDingUserId] },
];

/** One person the demo seeds. */
export interface PersonSeed {
  id: string;
  name: string;
  title: string;
  roles: PersonRole[];
  dingUserId: string;
  unitId?: string;
  orgId?: string;
  agencyId?: string;
  gov?: boolean;
}

/** The six named people of the demo; the administrator belongs to the province's bureau. */
export function demoActors(provinceOrgId: string): PersonSeed[] {
  return [
    {
      id: DEMO.regulatorPersonId,
      name: DEMO.regulatorName,
      title: '执法人员',
      roles: ['REGULATOR'],
      dingUserId: DEMO.regulatorDingUserId,
      orgId: DEMO.orgId,
      gov: true,
    },
    {
      id: DEMO.unitManagerPersonId,
      name: DEMO.unitManagerName,
      title: '安全负责人',
      roles: ['UNIT_MANAGER'],
      dingUserId: DEMO.unitManagerDingUserId,
      unitId: DEMO.unitId,
    },
    {
      id: DEMO.legalRepPersonId,
      name: '王海燕',
      title: '法定代表人',
      roles: ['LEGAL_REP'],
      dingUserId: DEMO.legalRepDingUserId,
      unitId: DEMO.unitId,
    },
    {
      id: DEMO.leaderPersonId,
      name: '林国华',
      title: '分管副局长',
      roles: ['LEADER'],
      dingUserId: DEMO.leaderDingUserId,
      orgId: DEMO.orgId,
      gov: true,
    },
    {
      id: DEMO.adminPersonId,
      name: '系统管理员',
      title: '运维',
      roles: ['ADMIN'],
      dingUserId: DEMO.adminDingUserId,
      orgId: provinceOrgId,
    },
    {
      id: DEMO.agencyStaffPersonId,
      name: '孙杰',
      title: '检测员',
      roles: ['AGENCY_STAFF'],
      dingUserId: DEMO.agencyStaffDingUserId,
      agencyId: DEMO.agencyId,
    },
  ];
}
