// Card layouts (templates/cards/<kind>.card.json, format in templates/cards/FORMAT.md): parsing,
// validation and the variable/button listing used by checkTemplates and describe.ts.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { zhErrorMap } from './zod-zh';

/** Folder holding the shipped card layouts. */
export const CARDS_DIR = path.join(__dirname, 'cards');

const color = z
  .string()
  .regex(/^(blue|red|orange|green|grey|\$\{[A-Za-z0-9_]+\})$/, 'color 只能是 blue|red|orange|green|grey 或 ${变量}');
const visibleIf = z
  .string()
  .regex(/^[A-Za-z0-9_]+$/)
  .optional();

const button = z.discriminatedUnion('action', [
  z.strictObject({
    text: z.string().min(1),
    style: z.enum(['primary', 'normal', 'danger']).default('normal'),
    action: z.literal('callback'),
    actionId: z.string().regex(/^[A-Za-z0-9_-]+$/),
    params: z.record(z.string(), z.string()).default({}),
    visibleIf,
  }),
  z.strictObject({
    text: z.string().min(1),
    style: z.enum(['primary', 'normal', 'danger']).default('normal'),
    action: z.literal('url'),
    url: z.string().min(1),
    visibleIf,
  }),
]);

const inputName = z.string().regex(/^[A-Za-z0-9_]+$/);

const block = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('header'), text: z.string(), color: color.optional(), visibleIf }),
  z.strictObject({
    type: z.literal('fields'),
    items: z.array(z.strictObject({ label: z.string(), value: z.string() })).min(1),
    visibleIf,
  }),
  z.strictObject({ type: z.literal('markdown'), text: z.string(), visibleIf }),
  z.strictObject({ type: z.literal('note'), text: z.string(), visibleIf }),
  z.strictObject({ type: z.literal('image'), url: z.string(), visibleIf }),
  z.strictObject({ type: z.literal('actions'), buttons: z.array(button).min(1).max(6), visibleIf }),
  // Form fields: what the user chose or typed goes with the next callback button's params, under `name`.
  z.strictObject({
    type: z.literal('choices'),
    name: inputName,
    label: z.string(),
    options: z
      .array(z.strictObject({ value: z.string().min(1), text: z.string().min(1) }))
      .min(2)
      .max(5),
    visibleIf,
  }),
  z.strictObject({ type: z.literal('input'), name: inputName, placeholder: z.string(), visibleIf }),
]);

/** Schema of a card layout file. */
export const cardLayoutSchema = z.strictObject({
  kind: z.string().regex(/^[a-z0-9-]+$/),
  templateId: z.string().min(1),
  variables: z.array(z.string().regex(/^[A-Za-z0-9_]+$/)).min(1),
  blocks: z.array(block).min(1),
});

/** A parsed card layout. */
export type CardLayout = z.output<typeof cardLayoutSchema>;
/** A button of a card layout. */
export type CardButton = z.output<typeof button>;

const PLACEHOLDER = /\$\{([^}]*)\}/g;

function placeholders(s: string): string[] {
  return [...s.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** Every variable a layout references (placeholders and visibleIf names). */
export function referencedVariables(layout: CardLayout): Set<string> {
  const refs = new Set<string>();
  const add = (s: string | undefined) => s !== undefined && placeholders(s).forEach((p) => refs.add(p));
  const cond = (v: string | undefined) => v !== undefined && refs.add(v);
  for (const b of layout.blocks) {
    cond(b.visibleIf);
    switch (b.type) {
      case 'header':
        add(b.text);
        add(b.color);
        break;
      case 'fields':
        b.items.forEach((i) => (add(i.label), add(i.value)));
        break;
      case 'markdown':
      case 'note':
        add(b.text);
        break;
      case 'image':
        add(b.url);
        break;
      case 'choices':
        add(b.label);
        break;
      case 'input':
        add(b.placeholder);
        break;
      case 'actions':
        for (const btn of b.buttons) {
          cond(btn.visibleIf);
          if (btn.action === 'url') add(btn.url);
          else Object.values(btn.params).forEach(add);
        }
        break;
    }
  }
  return refs;
}

/** Every button of a layout, in order. */
export function layoutButtons(layout: CardLayout): CardButton[] {
  return layout.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : []));
}

/** Parses and checks one layout's JSON text; returns the layout or a list of Chinese problems. */
export function parseLayout(text: string, expectedKind?: string): { layout?: CardLayout; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { problems: [`不是合法的 JSON：${(err as Error).message}`] };
  }
  const parsed = cardLayoutSchema.safeParse(json, { error: zhErrorMap });
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'}：${i.message}`) };
  }
  const layout = parsed.data;
  const problems: string[] = [];
  if (expectedKind !== undefined && layout.kind !== expectedKind) {
    problems.push(`kind 为 ${layout.kind}，与文件名 ${expectedKind} 不一致`);
  }
  const declared = new Set(layout.variables);
  if (declared.size !== layout.variables.length) problems.push('variables 中有重复的变量');
  for (const ref of referencedVariables(layout)) {
    if (!declared.has(ref)) problems.push(`使用了未在 variables 中声明的变量 ${ref || '(空)'}`);
  }
  const refs = referencedVariables(layout);
  for (const v of declared) if (!refs.has(v)) problems.push(`变量 ${v} 已声明但未在卡片中使用`);
  const actionIds = layoutButtons(layout).flatMap((b) => (b.action === 'callback' ? [b.actionId] : []));
  if (new Set(actionIds).size !== actionIds.length) problems.push('回传按钮的 actionId 有重复');
  return { layout: problems.length ? undefined : layout, problems };
}

/** Reads every `*.card.json` in a folder: layouts by kind, plus problems by file. */
export function loadLayouts(dir: string = CARDS_DIR): {
  layouts: Map<string, CardLayout>;
  problems: Array<{ file: string; message: string }>;
} {
  const layouts = new Map<string, CardLayout>();
  const problems: Array<{ file: string; message: string }> = [];
  let files: string[] = [];
  try {
    files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.card.json'))
      .sort();
  } catch (err) {
    problems.push({ file: dir, message: `无法读取卡片目录：${(err as Error).message}` });
  }
  for (const file of files) {
    const kind = file.slice(0, -'.card.json'.length);
    const res = parseLayout(fs.readFileSync(path.join(dir, file), 'utf8'), kind);
    if (res.layout) layouts.set(kind, res.layout);
    for (const message of res.problems) problems.push({ file, message });
  }
  return { layouts, problems };
}

let shipped: ReturnType<typeof loadLayouts> | undefined;

/** The shipped layouts, read once. */
export function shippedLayouts(): ReturnType<typeof loadLayouts> {
  shipped ??= loadLayouts(CARDS_DIR);
  return shipped;
}
