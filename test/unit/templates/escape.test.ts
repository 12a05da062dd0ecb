import { clipBytes, escapeMarkdown, escapePlain, safeUrl } from '../../../templates/escape';
import { renderNotice } from '../../../templates';
import { genericText } from '../../../templates/notices/generic-text';
import { hazardAlert } from '../../../templates/notices/hazard-alert';

/** Removes escaped characters so that only unescaped markdown syntax is left to inspect. */
function unescaped(s: string): string {
  return s.replace(/\\./g, '');
}

describe('escapeMarkdown', () => {
  it.each([
    // Brackets escaped: a lone parenthesis cannot make a link, so it stays readable.
    ['[点我](http://evil.example)', '\\[点我\\](http://evil.example)'],
    ['**x**', '\\*\\*x\\*\\*'],
    ['# h', '\\# h'],
    ['<font color=red>x</font>', '\\<font color=red\\>x\\</font\\>'],
    ['a\\b', 'a\\\\b'],
    ['`code` _i_ ~s~ | t', '\\`code\\` \\_i\\_ \\~s\\~ \\| t'],
    ['1. item', '1\\. item'],
    // Block markers only where a line could start (values are one line: their start).
    ['- item + x', '\\- item + x'],
    ['+ x', '\\+ x'],
    ['12) x', '12\\) x'],
    // Ordinary text stays as typed: no backslashes a reader would see.
    ['!{img} 18.6 Ω 3#罐 (GB 50057)', '!{img} 18.6 Ω 3#罐 (GB 50057)'],
    ['![x](http://e/i.png)', '!\\[x\\](http://e/i.png)'],
  ])('escapes %s', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('collapses newlines and control characters so a value cannot start a new block', () => {
    expect(escapeMarkdown('第一行\n\n# 标题\r\n> 引用\u2028x\u0000y')).toBe('第一行 # 标题 \\> 引用 xy'); // the # is mid-line now: no heading
    expect(escapePlain(' a\n\nb\tc ')).toBe('a b c');
  });

  it('renders null, numbers and arrays as text', () => {
    expect(escapeMarkdown(null)).toBe('');
    expect(escapeMarkdown(18.6)).toBe('18.6');
    expect(escapePlain(['甲', '乙'])).toBe('甲、乙');
  });
});

describe('safeUrl and clipBytes', () => {
  it('keeps http(s) and dingtalk links and encodes characters that close a markdown link', () => {
    expect(safeUrl('https://a.example/x?y=1')).toBe('https://a.example/x?y=1');
    expect(safeUrl('https://a.example/x)[y](z')).toBe('https://a.example/x%29%5By%5D%28z');
    expect(safeUrl('dingtalk://dingtalkclient/page/link?url=x')).toBe('dingtalk://dingtalkclient/page/link?url=x');
  });
  it('drops other schemes and whitespace-broken urls', () => {
    expect(safeUrl('javascript:alert(1)')).toBe('');
    expect(safeUrl('https://a.example/x y')).toBe('');
    expect(safeUrl(undefined)).toBe('');
  });
  it('cuts on a character boundary', () => {
    const s = clipBytes('雷'.repeat(400), 1024);
    expect(Buffer.byteLength(s)).toBeLessThanOrEqual(1024);
    expect(s.endsWith('…')).toBe(true);
  });
});

describe('injection through notice data', () => {
  const evilName = '[点我](http://evil.example) **加急** <font color=red>x</font>\n# 假标题\n> 引用';
  const data = { ...hazardAlert.sample, unit: { name: evilName.slice(0, 60) } } as typeof hazardAlert.sample;

  it('markdown bodies contain no link, emphasis, heading or html from the unit name', () => {
    for (const format of ['markdown', 'actionCard'] as const) {
      const { msgParam } = renderNotice('hazard-alert', data, 'ROBOT_OTO', { format });
      const { text, title } = JSON.parse(msgParam) as { text: string; title: string };
      const nameLine = text.split('\n').find((l) => l.includes('点我')) ?? '';
      expect(nameLine).toContain('\\[点我\\](http://evil.example)');
      expect(unescaped(nameLine)).not.toMatch(/\[|\]\(|<font|^#|^>/);
      // The name's newlines did not create new lines: no line starts with the injected heading.
      expect(text.split('\n').some((l) => l.startsWith('# 假标题') || l.startsWith('\\# 假标题'))).toBe(false);
      expect(title).not.toContain('\n');
    }
  });

  it('card markdown variables are escaped, plain ones are one line', () => {
    const evil = {
      ...hazardAlert.sample,
      hazard: { ...hazardAlert.sample.hazard, description: '见 [链接](http://evil.example)\n\n## 标题' },
    };
    const { cardParamMap } = renderNotice('hazard-alert', evil as typeof hazardAlert.sample, 'CARD');
    expect(cardParamMap.description).toContain('\\[链接\\](http://evil.example)');
    expect(cardParamMap.description).not.toContain('\n');
    const named = renderNotice('hazard-alert', data, 'CARD');
    expect(named.cardParamMap.unitName).not.toContain('\n');
  });

  it('a generic-text link cannot carry a javascript: url (schema) nor break out of the link', () => {
    const bad = { ...genericText.sample, link: { title: '看', url: 'javascript:alert(1)' } };
    expect(() => renderNotice('generic-text', bad, 'ROBOT_OTO')).toThrow(/link\.url/);
    const tricky = { ...genericText.sample, link: { title: '看](http://e)', url: 'https://a.example/p)x' } };
    const body = renderNotice('generic-text', tricky, 'WEBHOOK');
    expect(body.msgtype).toBe('markdown');
    if (body.msgtype === 'markdown') expect(body.markdown.text).toContain('[看\\](http://e)](https://a.example/p%29x)');
  });
});
