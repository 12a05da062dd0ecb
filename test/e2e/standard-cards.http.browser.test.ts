// Cards that need no authoring (#19), HTTP callback mode: the request buttons call back:
// DINGTALK_CARD_TEMPLATES unset, a hazard from filing to closing and a two-step 竣工验收 through the
// simulator's chat UI in Chromium; every card shows its state, every action works, every copy is
// updated (test/helpers/standard-cards-walk.ts).
import { startStandardCards, type StandardCardsRun } from '../helpers/standard-cards';
import { walkApproval, walkHazard } from '../helpers/standard-cards-walk';

let run: StandardCardsRun;

beforeAll(async () => {
  run = await startStandardCards('request');
}, 60_000);

afterAll(async () => {
  await run?.close();
});

test('a hazard from filing to closing, every action on its 普通版 cards', async () => {
  await walkHazard(run, 'request');
}, 180_000);

test('a 竣工验收 through its two steps on 普通版 cards', async () => {
  await walkApproval(run, 'request');
}, 120_000);
