// The 叫应 ladder (issue #20): what happens to a key unit that has not answered a warning, step by
// step, until it answers. Set per level (WARNING_LADDER); a warning keeps the ladder in force when
// it was issued (LightningWarning.ladder), so changing the setting never moves running ladders.
//
//   remind     the warning again, through the level's first-line channels, to the unit's managers
//   ding       DING in-app (应用内) to the managers, 200 a call
//   sms        DING by SMS to the managers (a purchased package; in-app DING without it)
//   call       DING by phone to the legal representative (managers when there is none)
//   regulator  the responsible regulators get the list of units still silent
//
// docs/warning-broadcast.md has the channels' limits and why DING is for the silent only.
import { z } from 'zod';
import type { WarningLevel } from '../db';

/** What one ladder step does. */
export const LADDER_ACTIONS = ['remind', 'ding', 'sms', 'call', 'regulator'] as const;
/** One step's action. */
export type LadderAction = (typeof LADDER_ACTIONS)[number];

/** One step: its action and how long after the first line it runs. */
export interface LadderStep {
  action: LadderAction;
  afterMs: number;
}

/** Each level's ladder. */
export type Ladders = Record<WarningLevel, LadderStep[]>;

/**
 * Defaults (issue #20): red reminds at +10 min, DINGs in-app at +20, by SMS to the managers at
 * +30, by phone to the legal representative at +40, then tells the regulators (+50: ten minutes
 * to answer the call); orange and yellow stop earlier.
 */
export const DEFAULT_LADDERS = {
  RED: 'remind@10m,ding@20m,sms@30m,call@40m,regulator@50m',
  ORANGE: 'remind@10m,ding@20m,regulator@30m',
  YELLOW: 'remind@15m,regulator@30m',
} as const satisfies Record<WarningLevel, string>;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
const STEP_RE = /^(remind|ding|sms|call|regulator)@(\d{1,5})(s|m|h)$/;

/** Parses `remind@10m,ding@20m,…`; throws a Chinese message on a bad step or an unordered list. */
export function parseLadder(text: string): LadderStep[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const steps = trimmed.split(',').map((raw) => {
    const m = STEP_RE.exec(raw.trim());
    if (!m)
      throw new Error(`叫应步骤「${raw.trim()}」格式不正确，应为 remind|ding|sms|call|regulator@时长（如 remind@10m）`);
    return { action: m[1] as LadderAction, afterMs: Number(m[2]) * UNIT_MS[m[3] as keyof typeof UNIT_MS] };
  });
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]!.afterMs <= steps[i - 1]!.afterMs) throw new Error('叫应步骤的时间必须逐步递增');
  }
  return steps;
}

/** The stored form of a ladder (LightningWarning.ladder); unknown content reads as no ladder. */
export const storedLadderSchema = z.array(
  z.object({ action: z.enum(LADDER_ACTIONS), afterMs: z.number().int().positive() }),
);

/** The ladder a warning keeps. */
export function storedLadder(json: unknown): LadderStep[] {
  const parsed = storedLadderSchema.safeParse(json);
  return parsed.success ? parsed.data : [];
}

/** Chinese name of a ladder step, as the 叫应记录 shows it. */
export const LADDER_ACTION_LABELS: Record<LadderAction, string> = {
  remind: '再次提醒',
  ding: '应用内 DING',
  sms: '短信 DING',
  call: '电话 DING',
  regulator: '告知监管人员',
};
