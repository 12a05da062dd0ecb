// The simulator chat UI's markdown renderer (simulator/ui/markdown.js): DingTalk's <font color>
// shows as coloured text, anything else that looks like HTML stays text.
import path from 'node:path';

type Md = { render(src: string): string };

function load(): Md {
  const g = globalThis as unknown as { window?: { SimMarkdown?: Md } };
  g.window = {};
  // The browser script is plain ES5 without exports: loading it is the only way to run it here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jest.isolateModules(() => require(path.join(__dirname, '../../../simulator/ui/markdown.js')));
  return g.window.SimMarkdown!;
}

test('<font color=#hex> becomes a coloured span; other colours, attributes and tags stay escaped text', () => {
  const md = load();
  expect(md.render('#### <font color=#D0021B>逾期未整改</font>')).toBe(
    '<h4 class="md-h"><span style="color:#D0021B">逾期未整改</span></h4>',
  );
  expect(md.render('<font color=red>x</font>')).toBe('<div>&lt;font color=red&gt;x&lt;/font&gt;</div>');
  expect(md.render('<font color=#123" onclick="alert(1)>x</font>')).not.toContain('<span');
  expect(md.render('<script>alert(1)</script>')).toBe('<div>&lt;script&gt;alert(1)&lt;/script&gt;</div>');
});
