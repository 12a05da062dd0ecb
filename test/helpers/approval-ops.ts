// The people of the approval-operation tests (issue #21) on a test runtime: the fixture's county
// bureau (王执法, the unit's 李经理) plus a second county regulator 赵执法 and the county leader
// 钱局长, the city bureau above it (孙市执法, 吴市执法: in the jurisdiction, not approvers of a county
// step), and a regulator of another county (冯执法, outside it). Everyone has a DingTalk userId and
// unionId, in the record and in the simulator; helpers read their cards, call the mini-app API as
// them and list their open to-dos.
import request from 'supertest';
import { startApproval } from '../../core/approval';
import { createOrg } from '../factories';
import { deliveredCard } from './deliveries';
import { createWorld, type World } from './fixtures';
import type { TestRuntime } from './runtime';
import { signIn } from './session';
import { todosOf, withUnionIds } from './todos';

/** Someone of the world: their person id and DingTalk userId. */
export interface Who {
  id: string;
  userId: string;
  name: string;
}

/** The people by name. */
export interface OpsWorld {
  world: World;
  wang: Who;
  zhao: Who;
  qian: Who;
  sun: Who;
  wu: Who;
  feng: Who;
  li: Who;
}

/** Creates the people of the operation tests on `t`. */
export async function createOpsWorld(t: TestRuntime): Promise<OpsWorld> {
  const db = t.db.prisma;
  const world = await createWorld(db);
  const tag = world.users[0]!.userId;
  const city = await db.regulatorOrg.findFirst({ where: { regionCode: '330100' } });
  const cityOrg = city ?? (await createOrg(db, { regionCode: '330100', name: '杭州市气象局' }));
  await db.regulatorOrg.update({ where: { id: world.orgId }, data: { parentId: cityOrg.id } });
  const other = await createOrg(db, { regionCode: '330212', name: '宁波市鄞州区气象局' });
  // DingTalk userIds and unionIds are ASCII.
  const person = async (name: string, key: string, role: 'REGULATOR' | 'LEADER', orgId: string): Promise<Who> => {
    const userId = `${key}_${tag}`;
    const p = await db.person.create({ data: { name, roles: [role], orgId, dingUserId: userId } });
    return { id: p.id, userId, name };
  };
  const ops: OpsWorld = {
    world,
    wang: { id: world.regulatorId, userId: world.users[0]!.userId, name: '王执法' },
    li: { id: world.managerId, userId: world.users[1]!.userId, name: '李经理' },
    zhao: await person('赵执法', 'zhao', 'REGULATOR', world.orgId),
    qian: await person('钱局长', 'qian', 'LEADER', world.orgId),
    sun: await person('孙市执法', 'sun', 'REGULATOR', cityOrg.id),
    wu: await person('吴市执法', 'wu', 'REGULATOR', cityOrg.id),
    feng: await person('冯执法', 'feng', 'REGULATOR', other.id),
  };
  await withUnionIds(
    t,
    [ops.wang, ops.li, ops.zhao, ops.qian, ops.sun, ops.wu, ops.feng].map((w) => ({
      personId: w.id,
      userId: w.userId,
      name: w.name,
    })),
  );
  return ops;
}

/** Starts an application by 李经理 and sends its cards; returns its id. */
export async function applyFor(t: TestRuntime, ops: OpsWorld, definitionKey: string, title: string): Promise<string> {
  const s = await t.db.prisma.$transaction((tx) =>
    startApproval(
      tx,
      {
        definitionKey,
        subject: { type: 'permit', id: `permit-${title}`, regionCode: ops.world.regionCode, title },
        applicantPersonId: ops.li.id,
      },
      { publicBaseUrl: t.runtime.deps.publicBaseUrl },
    ),
  );
  await t.runtime.dispatch(s.deliveryIds);
  return s.instanceId;
}

/** The active step row of an application. */
export function activeRow(t: TestRuntime, instanceId: string) {
  return t.db.prisma.approvalStep.findFirstOrThrow({ where: { instanceId, status: 'ACTIVE' } });
}

/** What `who` sees on a card: public data overlaid by their private data. */
export async function seen(t: TestRuntime, outTrackId: string, who: Who): Promise<Record<string, string>> {
  const c = await t.sim.call<{ cardData: Record<string, string>; privateData: Record<string, Record<string, string>> }>(
    'GET',
    `/__sim/cards/${outTrackId}`,
  );
  return { ...c.cardData, ...(c.privateData[who.userId] ?? {}) };
}

/** The card about `subjectId` (a step, or the application for the applicant) sent to `who`. */
export const cardOf = (t: TestRuntime, subjectId: string, who: Who) => deliveredCard(t.db.prisma, subjectId, who.id);

const sessions = new Map<string, string>();

/** The mini-app API as `who`: `api(t, who).post(path).send(body)`. */
export async function api(t: TestRuntime, who: Who) {
  const bearer = await signIn(t, who.userId, sessions);
  const agent = request(t.runtime.httpUrl!);
  return {
    get: (path: string) => agent.get(path).set('authorization', bearer),
    post: (path: string) => agent.post(path).set('authorization', bearer),
  };
}

/** `who`'s open DingTalk to-dos as [subject, priority label] pairs. */
export async function openTodos(t: TestRuntime, who: Who): Promise<Array<[string, string]>> {
  return (await todosOf(t, who.userId, true)).map((x) => [x.subject, x.priorityLabel]);
}
