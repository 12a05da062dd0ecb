// Admin API of directory onboarding (issue #9), the same imports as `leiguard import`:
//   GET  /admin/api/imports/templates/:kind      template (.xlsx)
//   POST /admin/api/imports/:kind                 multipart upload (field "file"), streamed into the import
//   GET  /admin/api/imports/:id                   the run's summary and rejected rows
//   GET  /admin/api/imports/:id/report            the report (.xlsx)
//   GET  /admin/api/exports/:kind[?reveal=1]      export (.xlsx); clear mobiles/ID numbers only
//                                                 with the reveal grant, audited
import { PassThrough, type Readable } from 'node:stream';
import Router from '@koa/router';
import busboy from 'busboy';
import type { Context } from 'koa';
import { appendAudit } from '../../core/audit';
import { scopeFor } from '../../core/authz';
import type { DataKey } from '../../core/crypto';
import type { PrismaClient } from '../../core/db';
import {
  importDirectory,
  kindBySlug,
  KINDS,
  readSheet,
  requireFormat,
  writeExport,
  writeReport,
  writeTemplate,
  type KindSpec,
  type RejectedRow,
} from '../../core/directory';
import { NotFoundError, PermissionError, ValidationError } from '../../core/errors';
import type { Authz, AuthzState } from '../authz';

/** Largest accepted upload (a 20,000-row .xlsx is about 1.5 MB). */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Rejected rows returned in JSON; the report has all of them. */
const JSON_REJECTS = 200;

function kindOf(slug: string): KindSpec<unknown> {
  const k = kindBySlug(slug);
  if (!k)
    throw new NotFoundError(
      'DIRECTORY_KIND_UNKNOWN',
      `未知的名录类别：${slug}（可用：${KINDS.map((x) => x.slug).join('、')}）`,
    );
  return k;
}

function sendXlsx(ctx: Context, name: string, write: (out: PassThrough) => Promise<unknown>): void {
  const out = new PassThrough();
  ctx.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  ctx.set('Content-Disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
  ctx.body = out;
  write(out).catch((err: unknown) => out.destroy(err as Error));
}

/** The first file of a multipart request, as a stream, with its name. */
function uploadedFile(ctx: Context): Promise<{ fileName: string; stream: Readable }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: ctx.req.headers, limits: { files: 1, fileSize: MAX_UPLOAD_BYTES } });
    } catch {
      reject(new ValidationError('请以 multipart/form-data 上传文件（字段名 file）'));
      return;
    }
    let got = false;
    bb.on('file', (_field, stream, info) => {
      got = true;
      // Busboy decodes the name as latin1 unless told otherwise; browsers send UTF-8.
      // Control characters (NUL above all: Postgres refuses it) are dropped from the stored name.
      const fileName =
        Buffer.from(info.filename ?? '', 'latin1')
          .toString('utf8')
          .replace(/[\u0000-\u001f\u007f]/g, '') || 'upload';
      // The reader gets the file through `out`, which fails with a Chinese ValidationError when the
      // upload is too large or cut off (busboy's own error is "Unexpected end of form"). The error
      // may come before the reader listens: unheard, it would end the process, hence the no-op
      // listener; the reader still sees it (a destroyed stream rejects its iterator).
      const out = new PassThrough();
      out.on('error', () => undefined);
      stream.on('limit', () => out.destroy(new ValidationError(`文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`)));
      stream.on('error', () => out.destroy(new ValidationError('上传内容不完整（文件未传完），请重新上传')));
      stream.pipe(out);
      resolve({ fileName, stream: out });
    });
    bb.on('error', (err) => reject(new ValidationError('上传内容无法解析', { cause: String(err) })));
    bb.on('close', () => {
      if (!got) reject(new ValidationError('没有收到文件：请用字段名 file 上传 .xlsx 或 .csv 文件'));
    });
    ctx.req.pipe(bb);
  });
}

function summaryBody(
  run: {
    id: string;
    kind: string;
    fileName: string;
    status: string;
    total: number;
    created: number;
    updated: number;
    unchanged: number;
    rejected: number;
  },
  rejects: RejectedRow[],
) {
  return {
    id: run.id,
    kind: run.kind,
    fileName: run.fileName,
    status: run.status,
    total: run.total,
    created: run.created,
    updated: run.updated,
    unchanged: run.unchanged,
    rejected: run.rejected,
    rejects: rejects.slice(0, JSON_REJECTS).map((r) => ({ row: r.row, reasons: r.reasons })),
    reportUrl: `/admin/api/imports/${run.id}/report`,
  };
}

/** The directory admin routes. */
export function importsRouter(deps: {
  prisma: PrismaClient;
  authz: Authz;
  dataKey: DataKey;
  /** PROVINCE_CODE: rows naming regions of other provinces are refused. */
  provinceCode?: string;
}): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/admin/api' });
  const create = deps.authz.authorize({ action: 'admin.imports.create' });
  const read = deps.authz.authorize({ action: 'admin.imports.read' });
  const exportAny = deps.authz.authorize({ action: 'admin.directory.export' });

  router.get('/imports/templates/:kind', read, (ctx) => {
    const kind = kindOf(ctx.params.kind!);
    sendXlsx(ctx, `${kind.label}导入模板.xlsx`, (out) => writeTemplate(kind, out));
  });

  router.post('/imports/:kind', create, async (ctx) => {
    const kind = kindOf(ctx.params.kind!);
    const { fileName, stream } = await uploadedFile(ctx);
    let format;
    try {
      format = requireFormat(fileName);
    } catch (err) {
      stream.resume();
      throw err;
    }
    const s = await importDirectory({
      prisma: deps.prisma,
      kind,
      rows: readSheet(stream, format),
      fileName,
      dataKey: deps.dataKey,
      actor: `admin:${ctx.state.principal.name}`,
      provinceCode: deps.provinceCode,
    });
    ctx.status = 201;
    ctx.body = summaryBody({ ...s, status: 'DONE' }, s.rejects);
  });

  router.get('/imports/:id', read, async (ctx) => {
    const run = await deps.prisma.directoryImport.findUnique({ where: { id: ctx.params.id! } }).catch(() => null);
    if (!run) throw new NotFoundError('IMPORT_NOT_FOUND', '导入记录不存在');
    ctx.body = {
      ...summaryBody(run, run.rejects as unknown as RejectedRow[]),
      error: run.error,
      createdAt: run.createdAt,
      finishedAt: run.finishedAt,
    };
  });

  router.get('/imports/:id/report', read, async (ctx) => {
    const run = await deps.prisma.directoryImport.findUnique({ where: { id: ctx.params.id! } }).catch(() => null);
    if (!run) throw new NotFoundError('IMPORT_NOT_FOUND', '导入记录不存在');
    const kind = KINDS.find((k) => k.kind === run.kind)!;
    sendXlsx(ctx, `${kind.label}导入报告-${run.fileName}.xlsx`, (out) =>
      writeReport(kind, { ...run, rejects: run.rejects as unknown as RejectedRow[] }, out),
    );
  });

  router.get('/exports/:kind', exportAny, async (ctx) => {
    const kind = kindOf(ctx.params.kind!);
    const reveal = ctx.query.reveal === '1' || ctx.query.reveal === 'true';
    if (reveal) {
      if (scopeFor(ctx.state.principal, 'admin.directory.reveal').denied)
        throw new PermissionError('无权导出明文手机号、身份证号');
      await deps.prisma.$transaction((tx) =>
        appendAudit(tx, {
          actorKind: 'SYSTEM',
          action: 'directory.exported.revealed',
          subjectType: 'directory',
          subjectId: kind.slug,
          data: { actor: `admin:${ctx.state.principal.name}` },
        }),
      );
    }
    sendXlsx(ctx, `${kind.label}导出.xlsx`, (out) =>
      writeExport(kind, deps.prisma, { dataKey: deps.dataKey, reveal }, out),
    );
  });
  return router;
}
