// Cards that need no authoring (#19 item 1), end to end: DINGTALK_CARD_TEMPLATES unset, so every
// card is DingTalk's robot interactive card 普通版 (StandardCard). A hazard goes from filing to
// closing and a 竣工验收 approval through its two steps, every action taken on a card in the
// simulator's chat UI (Chromium): in stream mode by the button's mini-app page (免登), in HTTP
// callback mode by the card's request buttons. Used by test/e2e/standard-cards.*.browser.test.ts.
import type { Browser, Locator, Page } from 'playwright-core';
import request from 'supertest';
import { startApproval } from '../../core/approval';
import { createOrg, createPerson } from '../factories';
import { assertChromium, launchChromium } from './browser';
import { createWorld, type World } from './fixtures';
import { testOutputDir } from './output';
import { addUsers, startTestRuntime, waitFor, type TestRuntime } from './runtime';

/** How the card's buttons reach LeiGuard. */
export type ButtonMode = 'page' | 'request';

/** The running scenario. */
export interface StandardCardsRun {
  t: TestRuntime;
  w: World;
  leader: { id: string; userId: string; name: string };
  browser: Browser;
  chat: Page;
  url: string;
  close(): Promise<void>;
}

const SECRET = 'standard-card-callback-secret-0123';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 1)]);

/** Starts LeiGuard without card templates (and, for request buttons, with a registered callback route). */
export async function startStandardCards(mode: ButtonMode): Promise<StandardCardsRun> {
  assertChromium();
  const t = await startTestRuntime({
    httpPort: true,
    standardCards: true,
    env: mode === 'request' ? { DINGTALK_CARD_CALLBACK_SECRET: SECRET } : {},
  });
  const url = t.runtime.httpUrl!;
  const w = await createWorld(t.db.prisma);
  const city = await createOrg(t.db.prisma, { name: '杭州市气象局', regionCode: '330100' });
  const lead = await createPerson(t.db.prisma, {
    name: '赵局长',
    roles: ['LEADER'],
    orgId: city.id,
    dingUserId: `lead_${w.users[0]!.userId}`,
  });
  const leader = { id: lead.id, userId: lead.dingUserId!, name: '赵局长' };
  await addUsers(t, [...w.users, { userId: leader.userId, name: leader.name }]);
  const publicBaseUrl = t.runtime.deps.publicBaseUrl;
  await t.sim.call('PUT', `/__sim/apps/${t.sim.app.appKey}`, { homepageUrl: `${publicBaseUrl}/m/tasks` });
  if (mode === 'request') {
    // The operator registers the callback route once (POST /v1.0/card/callbacks/register).
    const token = (
      await request(t.sim.url)
        .post('/v1.0/oauth2/accessToken')
        .send({ appKey: t.sim.app.appKey, appSecret: t.sim.app.appSecret })
        .expect(200)
    ).body.accessToken as string;
    await request(t.sim.url)
      .post('/v1.0/card/callbacks/register')
      .set('x-acs-dingtalk-access-token', token)
      .send({
        callbackRouteKey: 'leiguard',
        callbackUrl: `${publicBaseUrl}/dingtalk/card-callback`,
        apiSecret: SECRET,
        forceUpdate: true,
      })
      .expect(200);
  }
  const browser = await launchChromium();
  const chat = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  await chat.goto(t.sim.url);
  await chat.locator('#viewer option').first().waitFor({ state: 'attached', timeout: 10_000 });
  return {
    t,
    w,
    leader,
    browser,
    chat,
    url,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** A signed-in mini-app session (for what is not a card's action: filing, submitting). */
export async function bearer(run: StandardCardsRun, userId: string): Promise<string> {
  const { code } = await run.t.sim.call<{ code: string }>('POST', '/__sim/authcodes', { userId });
  const res = await request(run.url).post('/api/m/session').send({ authCode: code }).expect(200);
  return `Bearer ${res.body.token as string}`;
}

/** The outTrackId of a person's card about a subject, once DingTalk has it. */
export async function cardOf(run: StandardCardsRun, kind: string, subjectId: string, personId: string) {
  const c = await waitFor(
    () =>
      run.t.db.prisma.cardInstance.findFirst({
        where: { kind, subjectId, recipientPersonId: personId, live: true },
      }),
    20_000,
    `${kind} card`,
  );
  expect(c.templateId).toBe('StandardCard');
  return c.outTrackId;
}

/** The card as `userId` sees it in the chat UI. */
export async function cardInChat(run: StandardCardsRun, userId: string, outTrackId: string): Promise<Locator> {
  const viewer = run.chat.locator('#viewer');
  if ((await viewer.inputValue()) !== userId) await viewer.selectOption(userId);
  const card = run.chat.locator(`.icard[data-out-track-id="${outTrackId}"]`);
  await card.waitFor({ timeout: 20_000 });
  return card;
}

/** Waits until the card in the chat UI shows `text` (and, when given, lacks `gone`). */
export async function chatCardShows(
  run: StandardCardsRun,
  userId: string,
  outTrackId: string,
  text: string | RegExp,
  gone?: string,
): Promise<string> {
  const card = await cardInChat(run, userId, outTrackId);
  let shown = '';
  return waitFor(
    async () => {
      shown = (await card.textContent()) ?? '';
      const ok = typeof text === 'string' ? shown.includes(text) : text.test(shown);
      if (!ok) return undefined;
      if (gone && (await card.locator('button', { hasText: gone }).count()) > 0) return undefined;
      // For a person to look at; the card may be redrawn meanwhile (a later update).
      await card
        .screenshot({ path: `${testOutputDir('standard-cards')}/${outTrackId}-chat.png`, timeout: 2000 })
        .catch(() => undefined);
      return shown;
    },
    20_000,
    `card ${outTrackId} shows ${String(text)}${gone ? ` without 「${gone}」` : ''}`,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; it shows: ${shown}`);
  });
}

/** The card's JSON as DingTalk holds it (the simulator's copy). */
export async function cardJson(run: StandardCardsRun, outTrackId: string): Promise<string> {
  const c = await run.t.sim.call<{ standard: { data: unknown } | null }>('GET', `/__sim/cards/${outTrackId}`);
  return JSON.stringify(c.standard?.data ?? null);
}

/**
 * Takes an action on a card as `who`: taps its button in the chat UI, which must be of the kind
 * `via` says. A request button calls back; a page button opens the mini-app page signed in by 免登,
 * where `inputs` (label → text) are typed and the action done in one tap. Returns the page's
 * result line (empty for a request button).
 */
export async function act(
  run: StandardCardsRun,
  who: { userId: string; name: string },
  outTrackId: string,
  buttonText: string,
  via: ButtonMode,
  inputs: Record<string, string> = {},
): Promise<string> {
  const card = await cardInChat(run, who.userId, outTrackId);
  const button = card.locator('button', { hasText: buttonText }).first();
  const actionId = await button.getAttribute('data-action-id');
  expect({ button: buttonText, via: actionId ? 'request' : 'page' }).toEqual({ button: buttonText, via });
  if (actionId) {
    await button.click();
    return '';
  }
  const [popup] = await Promise.all([run.chat.waitForEvent('popup'), button.click()]);
  try {
    await popup.locator('#who', { hasText: who.name }).waitFor({ timeout: 15_000 });
    expect(new URL(popup.url()).pathname).toMatch(/^\/m\/cards\/[^/]+\/[a-z]+$/);
    expect(popup.url()).not.toContain('authCode');
    const form = popup.locator('form.card-action');
    await form.waitFor({ timeout: 10_000 });
    for (const [label, value] of Object.entries(inputs)) await popup.getByLabel(label).fill(value);
    await popup.screenshot({ path: `${testOutputDir('standard-cards')}/${outTrackId}-${buttonText}.png` });
    await form.locator('button[type="submit"]', { hasText: buttonText }).click();
    const banner = popup.locator('#banner');
    await banner.waitFor({ timeout: 15_000 });
    await popup.screenshot({ path: `${testOutputDir('standard-cards')}/${outTrackId}-${buttonText}-done.png` });
    return (await banner.textContent()) ?? '';
  } finally {
    await popup.close();
  }
}

/** Files a major hazard (its card goes to the manager and the legal representative); returns its id. */
export async function fileHazard(run: StandardCardsRun, description: string): Promise<string> {
  const res = await request(run.url)
    .post('/api/m/hazards')
    .set('Authorization', await bearer(run, run.w.users[0]!.userId))
    .send({ unitId: run.w.unitId, type: 'EARTH_R', grade: 'MAJOR', description, deadlineWorkingDays: 10 })
    .expect(201);
  return res.body.hazardId as string;
}

/** The manager submits a rectification with a photo (the 「提交整改」 page's API); returns its id. */
export async function submitRectification(run: StandardCardsRun, hazardId: string, text: string): Promise<string> {
  const auth = await bearer(run, run.w.users[1]!.userId);
  const up = await request(run.url).post('/api/m/uploads').set('Authorization', auth).attach('file', PNG, 'fix.png');
  expect(up.status).toBe(201);
  const res = await request(run.url)
    .post(`/api/m/hazards/${hazardId}/rectification`)
    .set('Authorization', auth)
    .send({ description: text, photos: [{ url: up.body.url }] })
    .expect(201);
  return res.body.rectificationId as string;
}

/** Starts a 防雷装置竣工验收 application by the unit's manager and sends its cards. */
export async function startCompletionAcceptance(run: StandardCardsRun, title: string) {
  const { prisma } = run.t.db;
  const s = await prisma.$transaction((tx) =>
    startApproval(
      tx,
      {
        definitionKey: 'permit.completion-acceptance',
        subject: { type: 'permit', id: `permit-${title}`, regionCode: run.w.regionCode, title },
        applicantPersonId: run.w.managerId,
      },
      { publicBaseUrl: run.t.runtime.deps.publicBaseUrl },
    ),
  );
  await run.t.runtime.dispatch(s.deliveryIds);
  return s.instanceId;
}
