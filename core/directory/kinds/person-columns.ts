// The people sheets' record and column headers (person.kind.ts, person-write.ts).
import type { PersonRole } from '../../db';

/** Where a person belongs. */
export type Affiliation = { uscc: string } | { orgName: string; regionCode: string };

/** A parsed person row. */
export interface PersonRecord {
  name: string;
  mobile: string;
  roles: PersonRole[];
  title?: string;
  idNumber?: string;
  affiliation: Affiliation;
}

/** Column headers. */
export const C = {
  name: '姓名',
  mobile: '手机号',
  roles: '角色',
  title: '职务',
  idNumber: '身份证号',
  uscc: '所属单位统一社会信用代码',
  orgName: '所在机构名称',
  orgRegion: '机构行政区划代码',
} as const;
