import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore, type BlobStore } from '../../src/platform/blob-store.js';
import { S3BlobStore } from '../../src/platform/s3-blob-store.js';
import { startS3Simulator, type S3Simulator } from '../support/s3-simulator.js';

let sim: S3Simulator;
let dir: string;
const stores: Record<string, BlobStore> = {};

beforeAll(async () => {
  sim = await startS3Simulator();
  dir = mkdtempSync(join(tmpdir(), 'kasir-blobs-'));
  stores.local = new LocalBlobStore(dir);
  stores.s3 = new S3BlobStore({ bucket: sim.bucket, endpoint: sim.endpoint, region: sim.region, accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey });
});

afterAll(async () => {
  for (const s of Object.values(stores)) await s.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['local', 's3'])('%s blob store', (name) => {
  const store = () => stores[name]!;

  it('stores, reads back, sizes and deletes an object', async () => {
    const key = `tenants/t1/images/${name}-a/original.png`;
    await store().put(key, Buffer.from('hello blob'), 'image/png');
    expect(await store().head(key)).toEqual({ size: 10 });
    const got = await store().get(key);
    expect(got?.size).toBe(10);
    expect(await text(got!.body)).toBe('hello blob');
    await store().delete(key);
    expect(await store().get(key)).toBeUndefined();
    expect(await store().head(key)).toBeUndefined();
  });

  it('treats a missing object as absent, and deleting it as done', async () => {
    expect(await store().get(`tenants/t1/nothing-${name}`)).toBeUndefined();
    await expect(store().delete(`tenants/t1/nothing-${name}`)).resolves.toBeUndefined();
  });

  it('refuses keys that could escape the store', async () => {
    for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a//b', 'a/./b', 'sp ace']) {
      await expect(store().put(key, Buffer.from('x'), 'text/plain')).rejects.toThrow(/invalid blob key/);
    }
  });
});

describe('S3 simulator', () => {
  it('is what the S3 store actually talked to, signed requests and all', async () => {
    await stores.s3!.put('tenants/t2/x.webp', Buffer.from('abc'), 'image/webp');
    expect(sim.objects.get('tenants/t2/x.webp')?.contentType).toBe('image/webp');
    expect(sim.requests.some((r) => r.method === 'PUT' && r.key === 'tenants/t2/x.webp' && r.status === 200)).toBe(true);
  });

  it('rejects a client signing with the wrong secret (403 SignatureDoesNotMatch)', async () => {
    const wrong = new S3BlobStore({ bucket: sim.bucket, endpoint: sim.endpoint, region: sim.region, accessKeyId: sim.accessKeyId, secretAccessKey: 'not-the-secret' });
    try {
      const err = await wrong.put('tenants/t3/y.png', Buffer.from('abc'), 'image/png').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BLOB_STORE_UNAVAILABLE', cause: { name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } } });
      expect(sim.objects.has('tenants/t3/y.png')).toBe(false);
      expect(sim.requests.at(-1)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    } finally {
      await wrong.close();
    }
  });

  it('rejects an unknown access key and a bucket that does not exist', async () => {
    const stranger = new S3BlobStore({ bucket: sim.bucket, endpoint: sim.endpoint, region: sim.region, accessKeyId: 'AKIAUNKNOWN', secretAccessKey: sim.secretAccessKey });
    const otherBucket = new S3BlobStore({ bucket: 'other', endpoint: sim.endpoint, region: sim.region, accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey });
    try {
      await expect(stranger.put('k', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ cause: { name: 'InvalidAccessKeyId' } });
      await expect(otherBucket.put('k', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ cause: { name: 'NoSuchBucket' } });
    } finally {
      await stranger.close();
      await otherBucket.close();
    }
  });

  it('rejects a request whose body was changed after signing', async () => {
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const res = await fetch(`${sim.endpoint}/${sim.bucket}/tampered`, {
      method: 'PUT',
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${sim.accessKeyId}/${amzDate.slice(0, 8)}/${sim.region}/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': amzDate,
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
      body: 'not empty',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    expect(sim.objects.has('tampered')).toBe(false);
  });
});
