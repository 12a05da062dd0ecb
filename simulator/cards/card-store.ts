// Card data rules shared by the create/update APIs and the stream callback reply (§4):
// cardParamMap is string -> string (key ≤100 B, value ≤1 KB); updates replace the whole map
// unless cardUpdateOptions asks to merge by key.
import { ApiError } from '../http/errors';
import type { CardHistoryEntry, SimCard, SimulatorState } from '../state';

const MAX_KEY_BYTES = 100;
const MAX_VALUE_BYTES = 1024;

/** Validates a `{cardParamMap}` wrapper; returns the map (or undefined when absent). */
export function parseParamMap(wrapper: unknown, label: string): Record<string, string> | undefined {
  if (wrapper === undefined || wrapper === null) return undefined;
  if (typeof wrapper !== 'object' || Array.isArray(wrapper)) {
    throw new ApiError(400, 'param.invalid', `${label} 格式不正确`);
  }
  const map = (wrapper as { cardParamMap?: unknown }).cardParamMap;
  if (map === undefined || map === null) return undefined;
  if (typeof map !== 'object' || Array.isArray(map)) {
    throw new ApiError(400, 'param.invalid', `${label}.cardParamMap 必须是对象`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
    if (typeof v !== 'string') {
      throw new ApiError(
        400,
        'param.invalid',
        `${label}.cardParamMap.${k} 必须是字符串（数字、布尔、数组需先转成字符串）`,
      );
    }
    if (Buffer.byteLength(k, 'utf8') > MAX_KEY_BYTES) {
      throw new ApiError(
        400,
        'param.invalid',
        `${label}.cardParamMap 的键超过 ${MAX_KEY_BYTES} 字节: ${k.slice(0, 20)}…`,
      );
    }
    if (Buffer.byteLength(v, 'utf8') > MAX_VALUE_BYTES) {
      throw new ApiError(400, 'param.invalid', `${label}.cardParamMap.${k} 的值超过 ${MAX_VALUE_BYTES} 字节`);
    }
    out[k] = v;
  }
  return out;
}

/** Validates `privateData {<userId>: {cardParamMap}}`. */
export function parsePrivateData(raw: unknown): Record<string, Record<string, string>> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ApiError(400, 'param.invalid', 'privateData 格式不正确');
  const out: Record<string, Record<string, string>> = {};
  for (const [userId, wrapper] of Object.entries(raw as Record<string, unknown>)) {
    out[userId] = parseParamMap(wrapper, `privateData.${userId}`) ?? {};
  }
  return out;
}

/** Update options as DingTalk names them. */
export interface CardUpdateOptions {
  updateCardDataByKey?: boolean;
  updatePrivateDataByKey?: boolean;
}

/** Reads cardUpdateOptions leniently (non-booleans count as false). */
export function parseUpdateOptions(raw: unknown): CardUpdateOptions {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return {
    updateCardDataByKey: o['updateCardDataByKey'] === true,
    updatePrivateDataByKey: o['updatePrivateDataByKey'] === true,
  };
}

/** Applies an update (replace or merge per options), records history and tells the UI. */
export function applyCardUpdate(
  state: SimulatorState,
  card: SimCard,
  change: {
    cardData?: Record<string, string>;
    privateData?: Record<string, Record<string, string>>;
    options: CardUpdateOptions;
    source: CardHistoryEntry['source'];
    userId?: string;
  },
): void {
  const { cardData, privateData, options } = change;
  if (cardData) card.cardData = options.updateCardDataByKey ? { ...card.cardData, ...cardData } : { ...cardData };
  if (privateData) {
    for (const [userId, map] of Object.entries(privateData)) {
      card.privateData[userId] = options.updatePrivateDataByKey
        ? { ...(card.privateData[userId] ?? {}), ...map }
        : { ...map };
    }
  }
  card.updatedAt = state.clock.now();
  card.version++;
  card.history.push({
    at: card.updatedAt,
    source: change.source,
    cardData,
    privateData,
    options,
    userId: change.userId,
  });
  state.events.emit('change', { kind: 'card', outTrackId: card.outTrackId });
}

/** Which users can see a card: IM_ROBOT recipients plus members of IM_GROUP spaces. */
export function cardViewers(state: SimulatorState, card: SimCard): Set<string> {
  const out = new Set<string>();
  for (const s of card.spaces) {
    if (s.spaceType === 'IM_ROBOT') out.add(s.spaceId);
    else for (const u of state.groups.get(s.spaceId)?.memberUserIds ?? []) out.add(u);
  }
  return out;
}
