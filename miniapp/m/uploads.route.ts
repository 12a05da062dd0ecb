// Photo uploads for rectification evidence (issue #4):
//   POST /api/m/uploads   multipart/form-data, one field "file" → 201 { id, url, bytes, type }
//   GET  /api/m/uploads/:id   the image (public: DingTalk clients load card images without a session)
// Only real images are kept: the type is taken from the file's magic bytes (JPEG, PNG, GIF, WebP),
// never from its name or the declared content type. Files are stored under DATA_DIR/uploads, named
// by the SHA-256 of their content (the id), so an upload is unguessable and stored once.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Router from '@koa/router';
import busboy from 'busboy';
import { AppError, NotFoundError, ValidationError } from '../../core/errors';
import { publicRoute, type Authz, type AuthzState } from '../authz';
import { apiDoc } from '../openapi/api-doc';

/** Image types accepted, by magic bytes. */
const TYPES = [
  {
    ext: 'jpg',
    mime: 'image/jpeg',
    test: (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  {
    ext: 'png',
    mime: 'image/png',
    test: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { ext: 'gif', mime: 'image/gif', test: (b: Buffer) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
  {
    ext: 'webp',
    mime: 'image/webp',
    test: (b: Buffer) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
] as const;

/** The image type of some bytes, or undefined when they are not an accepted image. */
export function imageTypeOf(bytes: Buffer): (typeof TYPES)[number] | undefined {
  return TYPES.find((t) => t.test(bytes));
}

/** The upload exceeds UPLOAD_MAX_BYTES. */
export class UploadTooLargeError extends AppError {
  constructor(limit: number) {
    super('UPLOAD_TOO_LARGE', `图片过大，不能超过 ${(limit / 1024 / 1024).toFixed(1)} MB`, {
      status: 413,
      details: { limit },
    });
  }
}

/**
 * Stores an image under `dir`, named by the SHA-256 of its content (written to a temporary name,
 * then renamed, so a reader never sees half a file). Refuses anything that is not an image.
 */
export async function storeImage(dir: string, bytes: Buffer): Promise<{ id: string; mime: string }> {
  const type = imageTypeOf(bytes);
  if (!type)
    throw new AppError('UPLOAD_NOT_IMAGE', '只能上传图片（JPEG、PNG、GIF 或 WebP），该文件不是图片', { status: 415 });
  const id = `${createHash('sha256').update(bytes).digest('hex')}.${type.ext}`;
  await mkdir(dir, { recursive: true });
  // A temporary name of its own: two uploads of the same photo at once must not share (and lose) it.
  const tmp = path.join(dir, `.${id}.${process.pid}.${randomUUID()}.tmp`);
  await writeFile(tmp, bytes);
  await rename(tmp, path.join(dir, id));
  return { id, mime: type.mime };
}

/** What the routes need. */
export interface UploadsDeps {
  authz: Authz;
  /** Folder the files go to (DATA_DIR/uploads). */
  dir: string;
  maxBytes: number;
  publicBaseUrl: string;
}

const ID = /^[0-9a-f]{64}\.(jpg|png|gif|webp)$/;

/** Reads the single file of a multipart request, enforcing the size limit. */
function readFile1(req: import('node:http').IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 5 } });
    } catch {
      reject(new ValidationError('请使用 multipart/form-data 上传图片（字段名 file）'));
      return;
    }
    let result: Buffer | undefined;
    let failed: Error | undefined;
    bb.on('file', (_name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        failed = new UploadTooLargeError(maxBytes);
        stream.resume();
      });
      stream.on('end', () => {
        if (!failed) result = Buffer.concat(chunks);
      });
      // A truncated body errors the file stream too; unheard, that error would end the process.
      stream.on('error', () => {
        failed ??= new ValidationError('上传内容不完整，请重新选择图片');
      });
    });
    bb.on('error', () => reject(new ValidationError('上传内容无法解析，请重新选择图片')));
    bb.on('close', () => {
      if (failed) reject(failed);
      else if (!result || result.length === 0) reject(new ValidationError('没有收到图片，请选择一张图片上传'));
      else resolve(result);
    });
    req.pipe(bb);
  });
}

/** The upload routes. */
export function uploadsRouter(deps: UploadsDeps): Router<AuthzState> {
  const router = new Router<AuthzState>({ prefix: '/api/m/uploads' });
  const base = deps.publicBaseUrl.replace(/\/$/, '');

  const upload = apiDoc({
    summary: '上传照片',
    description:
      '整改和检查照片。只接受真实图片（按文件内容判断 JPEG、PNG、GIF、WebP），不超过 UPLOAD_MAX_BYTES。返回的 url 用于提交整改或检查结果。',
    multipart: { field: 'file', description: '一张图片' },
    status: 201,
    errors: { 413: '图片过大', 415: '不是图片' },
  });
  router.post('/', deps.authz.authorize({ action: 'upload.create' }), upload, async (ctx) => {
    const declared = Number(ctx.get('content-length') || 0);
    // Refuse at once what cannot fit (multipart overhead is small).
    if (declared > deps.maxBytes + 64 * 1024) throw new UploadTooLargeError(deps.maxBytes);
    const bytes = await readFile1(ctx.req, deps.maxBytes);
    const stored = await storeImage(deps.dir, bytes);
    ctx.status = 201;
    ctx.body = { id: stored.id, url: `${base}/api/m/uploads/${stored.id}`, bytes: bytes.length, type: stored.mime };
  });

  router.get(
    '/:id',
    publicRoute('card images: DingTalk clients load them without a session; ids are content hashes'),
    apiDoc({ summary: '读取已上传的照片', produces: 'image/*', errors: { 404: '图片不存在' } }),
    async (ctx) => {
      const id = ctx.params.id ?? '';
      if (!ID.test(id)) throw new NotFoundError('UPLOAD_NOT_FOUND', '图片不存在');
      const bytes = await readFile(path.join(deps.dir, id)).catch(() => {
        throw new NotFoundError('UPLOAD_NOT_FOUND', '图片不存在');
      });
      ctx.type = imageTypeOf(bytes)?.mime ?? 'application/octet-stream';
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('X-Content-Type-Options', 'nosniff');
      // Cards show these images from DingTalk's origin, not ours (the default is same-origin).
      ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
      ctx.body = bytes;
    },
  );
  return router;
}
