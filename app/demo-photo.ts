// A stand-in for a site photo in the demo (rectification evidence): a small PNG drawn here — sky,
// ground, a roof and a lightning rod with its down conductor — so the demo needs no image files.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGB PNG of `width` × `height` whose pixel colours come from `pixel(x, y)`. */
export function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // filter byte 0 (none), then the row's pixels
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit depth, colour type 2 (RGB)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The demo's site photo; `tint` (0–255) varies the sky so that photos of different steps differ. */
export function sitePhoto(tint: number): Buffer {
  const W = 320;
  const H = 240;
  return png(W, H, (x, y) => {
    const rod = Math.abs(x - 200) <= 2 && y >= 40 && y < 110;
    const conductor = Math.abs(x - 250) <= 1 && y >= 110 && y < 200;
    if (rod || conductor) return [70, 70, 78];
    if (y >= 110 && y < 200 && x >= 60 && x < 280) return [196, 160, 120]; // building
    if (y >= 200) return [96, 128, 72]; // ground
    return [120 + (tint % 60), 170 + Math.round((y / H) * 60), 230]; // sky
  });
}
