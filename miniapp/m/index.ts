// The mini-app (/m pages, /api/m API): 免登 session, me, hazards.
import type Router from '@koa/router';
import type { DataKey } from '../../core/crypto';
import type { PrismaClient } from '../../core/db';
import { hazardsRouter } from './hazards.route';
import { meRouter } from './me.route';
import { pagesRouter } from './pages.route';
import { requirePerson } from './require-person';
import { sessionRouter, type AuthCodeResolver } from './session.route';
import { SessionTokens } from './session-token';

/** What the mini-app needs from the process. */
export interface MiniappDeps {
  prisma: PrismaClient;
  dingtalk: AuthCodeResolver;
  dataKey: DataKey;
  publicBaseUrl: string;
  corpId?: string;
}

/** Every mini-app router, ready for createApp's extraRouters. */
export function miniappRouters(deps: MiniappDeps): Router[] {
  const tokens = new SessionTokens(deps.dataKey);
  const auth = requirePerson({ prisma: deps.prisma, tokens });
  return [
    sessionRouter({ prisma: deps.prisma, dingtalk: deps.dingtalk, tokens, publicBaseUrl: deps.publicBaseUrl }),
    meRouter({ prisma: deps.prisma, auth }),
    hazardsRouter({ prisma: deps.prisma, auth }),
    pagesRouter({ corpId: deps.corpId }),
  ];
}
