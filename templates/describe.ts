// Prints, for templates/README.md, the table of card templates an operator must create in a real
// DingTalk tenant: kind → variables → buttons. Run: npx tsx templates/describe.ts
import { listTemplates } from './index';
import { layoutButtons, shippedLayouts, type CardLayout } from './layout';

/** The card's form fields: what the user picks or types goes with the callback's params. */
function formText(layout: CardLayout): string[] {
  return layout.blocks.flatMap((b) => {
    const cond = b.visibleIf ? `（${b.visibleIf}="true" 时显示）` : '';
    if (b.type === 'choices')
      return [`单选 \`${b.name}\`（${b.options.map((o) => `${o.text}=${o.value}`).join('、')}）${cond}`];
    if (b.type === 'input') return [`输入框 \`${b.name}\`「${b.placeholder}」${cond}`];
    return [];
  });
}

function buttonText(layout: CardLayout): string {
  const fields = formText(layout);
  const form = fields.length ? `表单字段（随回传请求放入参数）：${fields.join('；')}<br>` : '';
  return (
    form +
    layoutButtons(layout)
      .map((b) => {
        const cond = b.visibleIf ? `（${b.visibleIf}="true" 时显示）` : '';
        if (b.action === 'url') return `「${b.text}」跳转链接 \`${b.url}\`${cond}`;
        const params = Object.entries(b.params)
          .map(([k, v]) => `${k}=\`${v}\``)
          .join(', ');
        return `「${b.text}」回传请求 actionId=\`${b.actionId}\`${params ? `，参数 ${params}` : ''}${cond}`;
      })
      .join('<br>')
  );
}

/** Markdown table of every card layout used by a template. */
export function describeCards(): string {
  const { layouts } = shippedLayouts();
  const rows = ['| 通知类型 | 名称 | 默认模板 id | 变量（全部为字符串） | 按钮 |', '| --- | --- | --- | --- | --- |'];
  for (const t of listTemplates()) {
    if (!t.card) continue;
    const layout = layouts.get(t.card.layout);
    if (!layout) continue;
    const actionsIf = [
      ...new Set(layout.blocks.filter((b) => b.type === 'actions' && b.visibleIf).map((b) => b.visibleIf)),
    ];
    const vars = layout.variables.map((v) => `\`${v}\``).join(' ');
    const buttons = buttonText(layout) + (actionsIf.length ? `<br>按钮区在 ${actionsIf.join('、')}="true" 时显示` : '');
    rows.push(`| \`${t.kind}\` | ${t.title} | \`${layout.templateId}\` | ${vars} | ${buttons} |`);
  }
  return rows.join('\n');
}

if (require.main === module) {
  process.stdout.write(`${describeCards()}\n`);
}
