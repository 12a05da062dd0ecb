// Deterministic generators for demo data: the same seed gives the same people, names and numbers
// on every install, so demos and screenshots are reproducible.
import { createHash } from 'node:crypto';

/** mulberry32: small, fast, deterministic PRNG returning [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks one element. */
export function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

/** Picks by weight: [[value, weight], ...]. */
export function weighted<T>(rnd: () => number, items: ReadonlyArray<readonly [T, number]>): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rnd() * total;
  for (const [v, w] of items) {
    r -= w;
    if (r < 0) return v;
  }
  return items[items.length - 1]![0];
}

/** Name-based (RFC 4122 version 5 layout, SHA-1) UUID: stable ids for seeded rows. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(`leiguard-demo:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟',
];
const GIVEN = [
  ...'伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志远晓峰海燕文斌雪梅俊辉婷宇浩然思源佳琪子涵欣怡晨阳',
];

/** A plausible, deterministic Chinese personal name. */
export function personName(rnd: () => number): string {
  const given = rnd() < 0.35 ? pick(rnd, GIVEN) : pick(rnd, GIVEN) + pick(rnd, GIVEN);
  return pick(rnd, SURNAMES) + given;
}

const MOBILE_PREFIXES = [
  '138',
  '139',
  '137',
  '135',
  '136',
  '150',
  '151',
  '152',
  '158',
  '159',
  '186',
  '187',
  '188',
  '189',
  '177',
  '180',
  '181',
  '199',
];

/** A distinct mainland mobile number for every i < 10^8 (fictional). */
export function mobileFor(i: number): string {
  const prefix = MOBILE_PREFIXES[i % MOBILE_PREFIXES.length]!;
  const suffix = String((i * 7919 + 12345) % 100_000_000).padStart(8, '0');
  return prefix + suffix;
}

/** A unionId-like opaque string derived from the userId. */
export function unionIdFor(dingUserId: string): string {
  return `un${createHash('sha1').update(dingUserId).digest('hex').slice(0, 22)}`;
}

/** Adds months in UTC (demo dates need no more precision). */
export function addMonths(d: Date, months: number): Date {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() + months);
  return r;
}
