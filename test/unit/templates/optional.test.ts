// Every field the schema lets a caller leave out must render on every channel when it is left out
// (liquid runs with strictVariables, so a template that prints an absent value would throw).
import { channelsOf, listTemplates, renderNotice } from '../../../templates';

type Obj = Record<string, unknown>;

/** Variants of `data` with one object key removed, at any depth (arrays are kept whole). */
function withoutOneKey(data: Obj, path: string[] = []): Array<{ path: string; data: Obj }> {
  const out: Array<{ path: string; data: Obj }> = [];
  for (const [k, v] of Object.entries(data)) {
    const rest = { ...data };
    delete rest[k];
    out.push({ path: [...path, k].join('.'), data: rest });
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const inner of withoutOneKey(v as Obj, [...path, k]))
        out.push({ path: inner.path, data: { ...data, [k]: inner.data } });
    }
  }
  return out;
}

const cases = listTemplates().flatMap((t) =>
  withoutOneKey(t.sample as Obj)
    .filter((v) => t.schema.safeParse(v.data).success)
    .map((v) => [t.kind, v.path, v.data] as const),
);

describe('optional fields may be absent', () => {
  it('there are optional fields to try', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases)('%s without %s renders on every channel', (kind, _path, data) => {
    for (const channel of channelsOf(kind)) {
      for (const format of ['markdown', 'actionCard'] as const) {
        expect(() => renderNotice(kind, data, channel, { format })).not.toThrow();
      }
    }
  });
});
