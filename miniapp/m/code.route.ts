// Supervision codes in the mini-app (who may do what: core/authz POLICY):
//   POST /api/m/code/open  {c,u,e,s}  — a scanned QR: check the signature and that the code is the
//        unit's current one, then start (or resume) the caller's code inspection of that unit. A
//        regulator is scanned in on site (扫码入企, issue #22: core/inspection/scan-in.ts) with the
//        location when allowed, and gives a reason beyond the unit's yearly inspection cap;
//   GET  /api/m/units/:id/code       — the unit's code and a freshly signed URL (for the sign);
//   GET  /api/m/units/:id/code.png   — the QR image of that URL (PNG), printed on the sign.
import type { ApplyEffects } from '../../core/effects';
import Router from '@koa/router';
import QRCode from 'qrcode';
import { z } from 'zod';
import { scopeCovers } from '../../core/authz';
import type { PrismaClient } from '../../core/db';
import { label } from '../../core/domain/labels';
import { NotFoundError, PermissionError, ValidationError } from '../../core/errors';
import { startInspection } from '../../core/inspection/code-inspection';
import { scanIntoUnit, type InspectionRules } from '../../core/inspection/scan-in';
import { parseScanLocation, scanLocationSchema } from '../../core/field-work/site-scan';
import { CodeRefusedError, type SupervisionCodeSigner } from '../../core/inspection/supervision-code';
import type { Authz, AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** The parameters of a code URL (the QR's c, u, e, s). */
export const codeFields = {
  c: z.string().max(64),
  u: z.string().max(64),
  e: z.string().max(16),
  s: z.string().max(64),
};
const openBody = z
  .object({
    ...codeFields,
    /** A regulator's inspection beyond the unit's yearly cap needs one (国办发〔2024〕54号). */
    reason: z.string().max(400).optional(),
  })
  .and(scanLocationSchema);
const incomplete = () => new CodeRefusedError('CODE_FORGED', '监管码无效：二维码内容不完整，请重新扫码');
const pngQuery = z.object({
  size: z.coerce
    .number()
    .int()
    .min(128, '二维码尺寸应为 128–1200 像素')
    .max(1200, '二维码尺寸应为 128–1200 像素')
    .default(480),
});
const UNIT = { id: true, name: true, address: true, category: true, supervisionCode: true } as const;

/**
 * The unit a scanned code URL names: the signature is checked (CODE_FORGED, CODE_EXPIRED) and the
 * code must still be the unit's (CODE_REVOKED).
 */
export async function verifiedUnit(
  prisma: PrismaClient,
  signer: SupervisionCodeSigner,
  body: Record<string, unknown>,
): Promise<{ id: string; regionCode: string; supervisionCode: string }> {
  const parsed = z.object(codeFields).safeParse(body);
  if (!parsed.success) throw incomplete();
  const { unitId, code } = signer.verify(parsed.data);
  const unit = await prisma.unit.findUnique({
    where: { id: unitId },
    select: { id: true, regionCode: true, supervisionCode: true, active: true },
  });
  // A well-signed URL whose code is no longer the unit's (re-issued, unit deregistered).
  if (!unit || !unit.active || unit.supervisionCode !== code) {
    throw new CodeRefusedError('CODE_REVOKED', '监管码已作废或与单位不符，请联系属地气象主管机构');
  }
  return unit;
}

/** The supervision-code routes. */
export function codeRouter(deps: {
  prisma: PrismaClient;
  authz: Authz;
  signer: SupervisionCodeSigner;
  publicBaseUrl: string;
  /** Regulators' inspections: yearly cap, repeated-inspection window, distance flag. */
  inspections: InspectionRules;
  /** Applies a command's effects after its commit. */
  apply: ApplyEffects;
}): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m' });
  const unitView = () => deps.authz.authorize({ action: 'unit.view', resource: { type: 'unit', param: 'id' } });
  const loadUnit = async (id: string) => {
    const unit = await deps.prisma.unit.findUnique({ where: { id }, select: UNIT });
    if (!unit) throw new NotFoundError('UNIT_NOT_FOUND', '单位不存在');
    return unit;
  };

  const openDoc = apiDoc({
    summary: '扫监管码开始码上检查',
    description:
      '二维码地址中的 c、u、e、s 参数；校验签名、有效期和是否为该单位现行监管码，然后开始（或继续）本人对该单位的检查。执法人员同时扫码入场：记录时间、位置（本人同意时）与距离；已达单位年度检查上限时须填写理由（reason）。',
    body: openBody,
    // A bad code is an unusable code; a bad location is said as such.
    invalid: (err) =>
      err.issues.some((i) => String(i.path[0]) in codeFields) ? incomplete() : ValidationError.fromZod(err, '现场位置'),
    errors: { 410: '监管码已过期' },
  });
  router.post('/code/open', deps.authz.authorize({ action: 'inspection.start' }), openDoc, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const unit = await verifiedUnit(deps.prisma, deps.signer, body);
    if (!scopeCovers(ctx.state.scope, { unitId: unit.id, regionCode: unit.regionCode })) {
      throw new PermissionError('该监管码不属于您负责的单位或辖区，不能进行码上检查', 'CODE_NOT_YOURS');
    }
    const me = ctx.state.person;
    // The unit's own people self-inspect by code; anyone else enters the unit as a regulator.
    if (me.unitId === unit.id) {
      ctx.body = await startInspection(deps.prisma, { personId: me.id, unitId: unit.id, mode: 'CODE' });
      return;
    }
    const r = await scanIntoUnit(
      deps.prisma,
      {
        personId: me.id,
        unitId: unit.id,
        code: unit.supervisionCode,
        scan: parseScanLocation(body),
        reason: typeof body.reason === 'string' ? body.reason : undefined,
      },
      { ...deps.inspections, publicBaseUrl: deps.publicBaseUrl },
    );
    await deps.apply(r);
    ctx.body = { inspectionId: r.inspectionId, resumed: r.resumed, visit: r.visit, overCap: r.overCap };
  });

  router.get(
    '/units/:id/code',
    unitView(),
    apiDoc({ summary: '单位监管数字码', description: '监管码（由统一社会信用代码派生）及新签发的扫码地址和有效期。' }),
    async (ctx) => {
      const unit = await loadUnit(ctx.state.resource!.id);
      const params = deps.signer.sign(unit);
      ctx.body = {
        unit: {
          id: unit.id,
          name: unit.name,
          address: unit.address,
          category: unit.category,
          categoryLabel: label('UnitCategory', unit.category),
        },
        code: unit.supervisionCode,
        url: deps.signer.url(deps.publicBaseUrl, unit),
        expiresAt: new Date(Number(params.e) * 1000).toISOString(),
      };
    },
  );

  router.get(
    '/units/:id/code.png',
    unitView(),
    apiDoc({ summary: '监管码二维码图片', query: pngQuery, produces: 'image/png' }),
    async (ctx) => {
      const size = pngQuery.shape.size.safeParse(ctx.query.size);
      if (!size.success) throw new ValidationError('二维码尺寸应为 128–1200 像素');
      const unit = await loadUnit(ctx.state.resource!.id);
      ctx.type = 'image/png';
      ctx.body = await QRCode.toBuffer(deps.signer.url(deps.publicBaseUrl, unit), {
        errorCorrectionLevel: 'M',
        margin: 2,
        width: size.data,
      });
    },
  );
  return router;
}
