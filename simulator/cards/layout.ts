// Card layout format (templates/cards/FORMAT.md): schema, `${var}` substitution, visibility.
import { z } from 'zod';

const visibleIf = z.string().min(1).optional();

const buttonSchema = z
  .object({
    text: z.string().min(1),
    style: z.enum(['primary', 'normal', 'danger']).optional(),
    action: z.enum(['callback', 'url']),
    actionId: z.string().min(1).optional(),
    params: z.record(z.string(), z.string()).optional(),
    url: z.string().optional(),
    visibleIf,
  })
  .refine((b) => (b.action === 'callback' ? !!b.actionId : b.url !== undefined), {
    message: 'callback 按钮需要 actionId，url 按钮需要 url',
  });

const blockSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('header'), text: z.string(), color: z.string().optional(), visibleIf }),
    z.object({
      type: z.literal('fields'),
      items: z.array(z.object({ label: z.string(), value: z.string(), visibleIf })),
      visibleIf,
    }),
    z.object({ type: z.literal('markdown'), text: z.string(), visibleIf }),
    z.object({ type: z.literal('note'), text: z.string(), visibleIf }),
    z.object({ type: z.literal('image'), url: z.string(), visibleIf }),
    z.object({ type: z.literal('actions'), buttons: z.array(buttonSchema), visibleIf }),
    z.object({
      type: z.literal('choices'),
      name: z.string().min(1),
      label: z.string(),
      options: z.array(z.object({ value: z.string(), text: z.string() })).min(1),
      visibleIf,
    }),
    z.object({ type: z.literal('input'), name: z.string().min(1), placeholder: z.string(), visibleIf }),
  ],
  { error: '块类型只能是 header、fields、markdown、note、image、actions、choices、input' },
);

/** Schema of a card layout JSON. */
export const cardLayoutSchema = z.object({
  kind: z.string().optional(),
  templateId: z.string().optional(),
  variables: z.array(z.string()).optional(),
  blocks: z.array(blockSchema).min(1),
});

/** A card layout as registered with the simulator. */
export type CardLayout = z.infer<typeof cardLayoutSchema>;
/** One button of an `actions` block. */
export type CardButton = z.infer<typeof buttonSchema>;

/** Variable lookup: viewer's private data first, then public data (FORMAT.md). */
export type Lookup = (name: string) => string;

/** Builds the lookup for one viewer. */
export function lookupFor(cardData: Record<string, string>, privateData: Record<string, string> | undefined): Lookup {
  return (name) => privateData?.[name] ?? cardData[name] ?? '';
}

/** Replaces `${name}`; missing variables become ''. */
export function substitute(text: string, lookup: Lookup): string {
  return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => lookup(name.trim()));
}

/** A block/button with `visibleIf` shows only when that variable is exactly "true". */
export function isVisible(cond: string | undefined, lookup: Lookup): boolean {
  return cond === undefined || lookup(cond) === 'true';
}

/** Finds a visible callback button by actionId for a viewer. */
export function findCallbackButton(
  layout: CardLayout,
  actionId: string,
  lookup: Lookup,
): { button: CardButton; visible: boolean } | undefined {
  let hidden: CardButton | undefined;
  for (const block of layout.blocks) {
    if (block.type !== 'actions') continue;
    for (const button of block.buttons) {
      if (button.action !== 'callback' || button.actionId !== actionId) continue;
      if (isVisible(block.visibleIf, lookup) && isVisible(button.visibleIf, lookup)) return { button, visible: true };
      hidden ??= button;
    }
  }
  return hidden ? { button: hidden, visible: false } : undefined;
}

/** Chinese summary of zod issues, for the test API's 400 answers. */
export function describeIssues(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(根)'}: ${i.message}`)
    .join('；');
}
