// 检测人员 import: the testers of an agency with their qualification certificate (资格证书编号 and
// its validity), natural key = certificate number. A tester with a mobile number also becomes a
// person of the agency (role 检测机构人员), so that DingTalk mapping and the mini-app know them;
// the tester row points at that person. Anomaly rule R03 and testing plans read the validity.
import { maskName, mobileBlindIndexes, protectMobile, revealMobile } from '../../crypto';
import type { Tx } from '../../db';
import * as f from '../fields';
import type { KindSpec, WriteResult } from '../types';
import { dayText, differs, EXPORT_PAGE, pages } from './shared';

/** A parsed tester row. */
export interface TesterRecord {
  name: string;
  agencyUscc: string;
  certNo: string;
  certValidUntil: Date;
  mobile?: string;
}

const C = {
  name: '姓名',
  agencyUscc: '所属检测机构统一社会信用代码',
  certNo: '资格证书编号',
  certValidUntil: '证书有效期至',
  mobile: '手机号',
} as const;

/** The agency's person for a tester's mobile: found (same name), created, or a refusal. */
async function personFor(
  tx: Tx,
  r: TesterRecord,
  agencyId: string,
  dataKey: Parameters<typeof protectMobile>[0],
): Promise<{ id: string; created: boolean } | string> {
  const hashes = mobileBlindIndexes(dataKey, r.mobile!);
  const found = await tx.person.findFirst({ where: { mobileHash: { in: hashes } } });
  if (found) {
    if (found.name !== r.name)
      return `【${C.mobile}】该手机号已登记给另一人（${maskName(found.name)}），请核对姓名或手机号`;
    if (found.agencyId && found.agencyId !== agencyId) return `【${C.mobile}】该人员已登记在另一检测机构`;
    if (!found.roles.includes('AGENCY_STAFF') || found.agencyId !== agencyId) {
      await tx.person.update({
        where: { id: found.id },
        data: { agencyId, roles: [...new Set([...found.roles, 'AGENCY_STAFF' as const])] },
      });
    }
    return { id: found.id, created: false };
  }
  const p = await tx.person.create({
    data: { name: r.name, roles: ['AGENCY_STAFF'], agencyId, ...protectMobile(dataKey, r.mobile!) },
    select: { id: true },
  });
  return { id: p.id, created: true };
}

/** Testers of testing agencies. */
export const testerKind: KindSpec<TesterRecord> = {
  kind: 'TESTER',
  label: '检测人员',
  slug: 'testers',
  columns: [
    { key: 'name', header: C.name, required: true, example: '李建国', note: '' },
    {
      key: 'agencyUscc',
      header: C.agencyUscc,
      required: true,
      example: '91330100MA0000002R',
      note: '所在检测机构的统一社会信用代码（检测机构须已导入，可在同一工作簿的「检测机构」表中）',
    },
    {
      key: 'certNo',
      header: C.certNo,
      required: true,
      example: '浙防雷检〔2024〕0123',
      note: '防雷检测资格证书编号；是检测人员的唯一标识，重复导入时按此更新',
    },
    {
      key: 'certValidUntil',
      header: C.certValidUntil,
      required: true,
      example: '2028-06-30',
      note: '格式如 2028-06-30；证书过期的人员不能列入检测计划，其检测报告会被预警',
    },
    {
      key: 'mobile',
      header: C.mobile,
      required: false,
      example: '13900000001',
      note: '可选；填写后该人员同时登记为检测机构人员，可映射钉钉账号、使用小程序',
    },
  ],

  parse(c, p) {
    const r = {
      name: f.text(p, C.name, c.name ?? '', { required: true, max: 50 }),
      agencyUscc: f.uscc(p, C.agencyUscc, c.agencyUscc ?? ''),
      certNo: f.text(p, C.certNo, c.certNo ?? '', { required: true, max: 60 }),
      certValidUntil: f.date(p, C.certValidUntil, c.certValidUntil ?? '', { required: true }),
      mobile: f.mobile(p, C.mobile, c.mobile ?? '', false),
    };
    return p.ok ? (r as TesterRecord) : undefined;
  },

  key: (r) => ({ key: r.certNo, what: '资格证书编号相同' }),

  async write(tx, rows, ctx) {
    const result: WriteResult = { created: 0, updated: 0, unchanged: 0, rejects: [] };
    const agencies = new Map(
      (
        await tx.agency.findMany({
          where: { uscc: { in: [...new Set(rows.map((r) => r.record.agencyUscc))] } },
          select: { id: true, uscc: true },
        })
      ).map((a) => [a.uscc, a.id]),
    );
    const existing = new Map(
      (await tx.tester.findMany({ where: { certNo: { in: rows.map((r) => r.record.certNo) } } })).map((t) => [
        t.certNo,
        t,
      ]),
    );
    let people = 0;
    for (const { row, record: r } of rows) {
      const agencyId = agencies.get(r.agencyUscc);
      if (!agencyId) {
        result.rejects.push({
          row,
          reason: `【${C.agencyUscc}】系统中没有该检测机构（${r.agencyUscc}），请先导入检测机构`,
        });
        continue;
      }
      let personId: string | null | undefined;
      if (r.mobile) {
        const person = await personFor(tx, r, agencyId, ctx.dataKey);
        if (typeof person === 'string') {
          result.rejects.push({ row, reason: person });
          continue;
        }
        if (person.created) people++;
        const other = await tx.tester.findFirst({
          where: { personId: person.id, certNo: { not: r.certNo } },
          select: { certNo: true },
        });
        if (other) {
          result.rejects.push({
            row,
            reason: `【${C.mobile}】该手机号已属于证书编号为 ${other.certNo} 的检测人员；同一人换发证书时请修改原行的证书编号`,
          });
          continue;
        }
        personId = person.id;
      }
      const data = { name: r.name, agencyId, certValidUntil: r.certValidUntil, personId };
      const current = existing.get(r.certNo);
      if (!current) {
        await tx.tester.create({ data: { ...data, certNo: r.certNo, personId: personId ?? null } });
        result.created++;
      } else if (differs(current, data)) {
        await tx.tester.update({ where: { id: current.id }, data });
        result.updated++;
      } else result.unchanged++;
    }
    if (people > 0) result.audit = { createdPeople: people };
    return result;
  },

  async *exportRows(prisma, opts) {
    for await (const t of pages((after) =>
      prisma.tester.findMany({
        where: after ? { id: { gt: after } } : {},
        orderBy: { id: 'asc' },
        take: EXPORT_PAGE,
        include: {
          agency: { select: { uscc: true } },
          person: { select: { mobileEnc: true, mobileMasked: true } },
        },
      }),
    )) {
      const mobile = t.person?.mobileEnc
        ? opts.reveal
          ? revealMobile(opts.dataKey, t.person.mobileEnc)
          : (t.person.mobileMasked ?? '')
        : '';
      yield [t.name, t.agency.uscc, t.certNo, dayText(t.certValidUntil), mobile];
    }
  },
};
