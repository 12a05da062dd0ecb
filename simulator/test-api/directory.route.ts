// Test API: the simulated tenant's directory — users, departments, groups, card templates, auth codes,
// custom group robots.
import type Router from '@koa/router';
import { z } from 'zod';
import type { SimContext } from '../context';
import { cardLayoutSchema } from '../cards/layout';
import { bodyObject } from '../http/body';
import { SimInputError } from '../http/errors';
import { randomHex } from '../ids';
import { parseInput } from './validate';

const AUTH_CODE_TTL_MS = 5 * 60_000;

const userSchema = z.object({
  userId: z.string().min(1),
  unionId: z.string().min(1).optional(),
  name: z.string().min(1),
  mobile: z.string().optional(),
  title: z.string().optional(),
  deptIds: z.array(z.number().int()).optional(),
  appKey: z.string().optional(),
});
const departmentsSchema = z.object({
  departments: z
    .array(
      z.object({
        deptId: z.number().int().min(2),
        name: z.string().min(1),
        parentId: z.number().int().min(1).default(1),
      }),
    )
    .min(1),
});
const usersSchema = z.object({ users: z.array(userSchema).min(1) });
const groupSchema = z.object({
  openConversationId: z.string().min(1),
  title: z.string().min(1),
  memberUserIds: z.array(z.string().min(1)),
});
const templateSchema = z.object({ templateId: z.string().min(1), layout: cardLayoutSchema });
const authCodeSchema = z.object({ userId: z.string().min(1) });
const webhookSchema = z.object({
  accessToken: z.string().min(1).optional(),
  openConversationId: z.string().optional(),
  name: z.string().min(1).optional(),
  secret: z.string().startsWith('SEC', '加签密钥必须以 SEC 开头').optional(),
  keywords: z.array(z.string().min(1)).max(10).optional(),
});

/** Registers directory routes. */
export function directoryRoutes(router: Router, sim: SimContext): void {
  const { state } = sim;
  const changed = () => state.events.emit('change', { kind: 'directory' });

  router.post('/__sim/users', (ctx) => {
    const { users } = parseInput(usersSchema, bodyObject(ctx));
    for (const u of users) {
      if (u.appKey && !state.apps.has(u.appKey)) throw new SimInputError(`应用不存在：${u.appKey}`);
    }
    for (const u of users) {
      const prev = state.users.get(u.userId);
      state.users.set(u.userId, {
        userId: u.userId,
        unionId: u.unionId ?? prev?.unionId ?? `union${randomHex(10)}`,
        name: u.name,
        mobile: u.mobile,
        title: u.title,
        deptIds: u.deptIds ?? [1],
        appKey: u.appKey,
      });
    }
    changed();
    ctx.body = { ok: true, count: users.length };
  });
  router.get('/__sim/users', (ctx) => {
    ctx.body = { users: [...state.users.values()] };
  });

  router.post('/__sim/departments', (ctx) => {
    const { departments } = parseInput(departmentsSchema, bodyObject(ctx));
    const known = (id: number) => id === 1 || state.departments.has(id) || departments.some((d) => d.deptId === id);
    const orphans = departments.filter((d) => !known(d.parentId));
    if (orphans.length > 0) throw new SimInputError(`上级部门不存在：${orphans.map((d) => d.parentId).join('、')}`);
    for (const d of departments)
      state.departments.set(d.deptId, { deptId: d.deptId, name: d.name, parentId: d.parentId });
    changed();
    ctx.body = { ok: true, count: departments.length };
  });
  router.get('/__sim/departments', (ctx) => {
    ctx.body = { departments: [...state.departments.values()] };
  });

  router.post('/__sim/groups', (ctx) => {
    const g = parseInput(groupSchema, bodyObject(ctx));
    const unknown = g.memberUserIds.filter((u) => !state.users.has(u));
    if (unknown.length > 0) throw new SimInputError(`群成员不存在：${unknown.join('、')}`);
    state.groups.set(g.openConversationId, { ...g });
    changed();
    ctx.body = { ok: true };
  });
  router.get('/__sim/groups', (ctx) => {
    ctx.body = { groups: [...state.groups.values()] };
  });

  router.post('/__sim/card-templates', (ctx) => {
    const t = parseInput(templateSchema, bodyObject(ctx));
    state.templates.set(t.templateId, { templateId: t.templateId, layout: t.layout });
    changed();
    ctx.body = { ok: true };
  });
  router.get('/__sim/card-templates', (ctx) => {
    ctx.body = { templates: [...state.templates.values()] };
  });

  router.post('/__sim/authcodes', (ctx) => {
    const { userId } = parseInput(authCodeSchema, bodyObject(ctx));
    if (!state.users.has(userId)) throw new SimInputError(`用户不存在：${userId}`);
    const code = randomHex(16);
    state.authCodes.set(code, { userId, expiresAt: state.clock.now() + AUTH_CODE_TTL_MS });
    ctx.body = { code };
  });

  router.post('/__sim/webhook-robots', (ctx) => {
    const w = parseInput(webhookSchema, bodyObject(ctx));
    if (w.openConversationId && !state.groups.has(w.openConversationId))
      throw new SimInputError(`群不存在：${w.openConversationId}`);
    const accessToken = w.accessToken ?? randomHex(32);
    state.webhookRobots.set(accessToken, {
      accessToken,
      openConversationId: w.openConversationId,
      name: w.name ?? '自定义机器人',
      secret: w.secret,
      keywords: w.keywords ?? [],
      sentAt: [],
      blockedUntil: 0,
    });
    ctx.body = { accessToken, webhook: `${sim.baseUrl()}/robot/send?access_token=${accessToken}` };
  });
  router.get('/__sim/webhook-robots', (ctx) => {
    ctx.body = { robots: [...state.webhookRobots.values()].map(({ sentAt: _s, ...r }) => r) };
  });
}
