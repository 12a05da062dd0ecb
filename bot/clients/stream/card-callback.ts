// A card callback as the stream delivers it (topic /v1.0/card/instances/callback): the frame's data
// names the card (outTrackId) and the person who clicked; its `content` is itself a JSON string
// holding the clicked card's private data (actionIds, params).
import type { CardCallback } from './types';

/** Decodes a card callback's `data` (its `content` is itself a JSON string). */
export function parseCardCallback(data: Record<string, unknown>): CardCallback | undefined {
  if (typeof data.outTrackId !== 'string' || typeof data.userId !== 'string') return undefined;
  let actionIds: string[] = [];
  let params: Record<string, unknown> = {};
  if (data.content !== undefined) {
    try {
      const c = (typeof data.content === 'string' ? JSON.parse(data.content) : data.content) as Record<string, unknown>;
      const p = (c?.cardPrivateData ?? {}) as Record<string, unknown>;
      actionIds = Array.isArray(p.actionIds) ? p.actionIds.map(String) : [];
      params = p.params && typeof p.params === 'object' ? (p.params as Record<string, unknown>) : {};
    } catch {
      return undefined;
    }
  }
  return {
    type: String(data.type ?? ''),
    outTrackId: data.outTrackId,
    corpId: typeof data.corpId === 'string' ? data.corpId : undefined,
    userId: data.userId,
    spaceType: typeof data.spaceType === 'string' ? data.spaceType : undefined,
    spaceId: typeof data.spaceId === 'string' ? data.spaceId : undefined,
    actionIds,
    params,
    raw: data,
  };
}
