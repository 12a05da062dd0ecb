// Embedded mode: the local DingTalk simulator stands in for DingTalk. Start-up "registers" our card templates in the
// simulated tenant and loads the demo directory (bureaus as departments, people) into it, through its test API exactly
// as an operator would do in a real tenant (create templates, add people).
import { shippedLayouts } from '../templates/layout';
import { startSimulator, type Simulator, type SimulatorApp } from '../simulator';
import type { Logger } from '../core/logger';

/** The simulated app LeiGuard runs as in embedded mode. */
export const EMBEDDED_APP: SimulatorApp = {
  appKey: 'dingleiguarddemo',
  appSecret: 'leiguard-demo-secret-do-not-use-in-production',
  corpId: 'dingdemocorp0330000',
  agentId: 3300001,
  robotCode: 'dingleiguarddemo',
  name: '雷卫',
};

/** Environment overrides pointing the product at the simulator, as if it were DingTalk. */
export function simulatorEnv(sim: Simulator): Record<string, string> {
  return {
    DINGTALK_APP_KEY: EMBEDDED_APP.appKey,
    DINGTALK_APP_SECRET: EMBEDDED_APP.appSecret,
    DINGTALK_CORP_ID: EMBEDDED_APP.corpId,
    DINGTALK_AGENT_ID: String(EMBEDDED_APP.agentId),
    DINGTALK_ROBOT_CODE: EMBEDDED_APP.robotCode,
    DINGTALK_API_BASE: sim.url,
    DINGTALK_OAPI_BASE: sim.url,
  };
}

async function call(sim: Simulator, path: string, body: unknown, method = 'POST'): Promise<void> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`simulator ${path}: ${res.status} ${await res.text()}`);
}

/** Registers every shipped card layout under its default template id. */
export async function registerCardTemplates(sim: Simulator): Promise<number> {
  const { layouts } = shippedLayouts();
  for (const layout of layouts.values())
    await call(sim, '/__sim/card-templates', { templateId: layout.templateId, layout });
  return layouts.size;
}

/** First department id given to a bureau (1 is the org's root). */
const FIRST_DEPT_ID = 100;

/**
 * Loads the bureaus as departments of the simulated org (parents first), as a bureau's DingTalk
 * contact tree would have them; returns each bureau's department id.
 */
export async function loadDepartments(
  sim: Simulator,
  orgs: Array<{ id: string; name: string; parentId: string | null }>,
): Promise<Map<string, number>> {
  const deptOf = new Map(orgs.map((o, i) => [o.id, FIRST_DEPT_ID + i]));
  const departments = orgs.map((o) => ({
    deptId: deptOf.get(o.id)!,
    name: o.name,
    parentId: (o.parentId && deptOf.get(o.parentId)) || 1,
  }));
  for (let i = 0; i < departments.length; i += 500)
    await call(sim, '/__sim/departments', { departments: departments.slice(i, i + 500) });
  return deptOf;
}

/** Loads people into the simulated directory (userId, name, mobile, departments). */
export async function loadDirectory(
  sim: Simulator,
  users: Array<{ userId: string; unionId?: string; name: string; mobile?: string; title?: string; deptIds?: number[] }>,
): Promise<void> {
  for (let i = 0; i < users.length; i += 500) await call(sim, '/__sim/users', { users: users.slice(i, i + 500) });
}

/**
 * Tells the simulated app where the mini-app lives (应用首页地址) and which people its chat UI shows
 * first: links to the mini-app then open signed in by 免登, at the address this process serves.
 */
export async function configureEmbeddedApp(
  sim: Simulator,
  opts: { homepageUrl: string; pinnedUsers?: Array<{ label: string; userIds: string[] }> },
): Promise<void> {
  await call(sim, `/__sim/apps/${encodeURIComponent(EMBEDDED_APP.appKey)}`, opts, 'PUT');
}

/** Starts the simulator on its configured port. */
export async function startEmbeddedSimulator(port: number, logger: Logger): Promise<Simulator> {
  const log = logger.child({ component: 'simulator' });
  return startSimulator({
    port,
    apps: [EMBEDDED_APP],
    logger: {
      info: (...a: unknown[]) => log.debug({ args: a }, 'sim'),
      warn: (...a: unknown[]) => log.warn({ args: a }, 'sim'),
      error: (...a: unknown[]) => log.error({ args: a }, 'sim'),
    },
  });
}
