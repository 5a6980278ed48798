import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeContent, fitWithin, imageStorageKey, renditionKey, sniffImageType } from './image.js';

const bytes = (...b: (number | string)[]) => Buffer.concat(b.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : Buffer.from([x]))));

describe('sniffImageType', () => {
  it('recognises JPEG, PNG and WebP by their signatures alone', () => {
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffImageType(bytes(0x89, 'PNG\r\n', 0x1a, '\n', 0))).toBe('image/png');
    expect(sniffImageType(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp');
  });

  it('refuses everything else, including near misses', () => {
    expect(sniffImageType(bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt '))).toBeUndefined();
    expect(sniffImageType(bytes(0xff, 0xd8))).toBeUndefined();
    expect(sniffImageType(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffImageType(Buffer.alloc(0))).toBeUndefined();
  });

  it('names what it refused', () => {
    expect(describeContent(Buffer.from('GIF89a...'))).toBe('gif');
    expect(describeContent(Buffer.from('<?xml version="1.0"?><svg></svg>'))).toBe('svg');
    expect(describeContent(Buffer.from('just some words\n'))).toBe('text');
    expect(describeContent(bytes(0, 1, 2, 3))).toBe('unknown');
  });
});

describe('fitWithin', () => {
  it('scales the longest edge to the box and keeps smaller images as they are', () => {
    expect(fitWithin(800, 600, 512)).toEqual({ width: 512, height: 384 });
    expect(fitWithin(600, 800, 128)).toEqual({ width: 96, height: 128 });
    expect(fitWithin(100, 60, 512)).toEqual({ width: 100, height: 60 });
    expect(fitWithin(10_000, 1, 128)).toEqual({ width: 128, height: 1 });
  });

  it('never exceeds the box, never enlarges, and keeps the aspect ratio within rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 20_000 }), fc.constantFrom(128, 512), (w, h, max) => {
        const r = fitWithin(w, h, max);
        expect(Math.max(r.width, r.height)).toBeLessThanOrEqual(Math.max(max, 1));
        expect(r.width).toBeLessThanOrEqual(w);
        expect(r.height).toBeLessThanOrEqual(h);
        if (Math.max(w, h) > max) expect(Math.max(r.width, r.height)).toBe(max);
        // Each edge is the exact scaled edge rounded (or 1 when it would round to 0).
        const scale = Math.min(1, max / Math.max(w, h));
        for (const [got, exact] of [[r.width, w * scale], [r.height, h * scale]] as const) {
          expect(got === 1 || Math.abs(got - exact) <= 0.5).toBe(true);
        }
      }),
    );
  });
});

describe('storage keys', () => {
  it('put the tenant in every key and name renditions by size', () => {
    const base = imageStorageKey('t-1', 'i-1');
    expect(renditionKey(base, 'original', 'image/png')).toBe('tenants/t-1/images/i-1/original.png');
    expect(renditionKey(base, '512', 'image/png')).toBe('tenants/t-1/images/i-1/512.webp');
    expect(renditionKey(base, '128', 'image/jpeg')).toBe('tenants/t-1/images/i-1/128.webp');
  });
});
