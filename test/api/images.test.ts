import { loadConfig } from '../../src/platform/config.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlobStore, type BlobStore } from '../../src/platform/blob-store.js';
import { startS3Simulator, type S3Simulator } from '../support/s3-simulator.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';
import { fetchImage, makeImage, seedOwners, uploadForm } from '../support/images.js';

const MAX_BYTES = 60_000;

describe.each(['local', 's3'] as const)('images on the %s store', (kind) => {
  let sim: S3Simulator | undefined;
  let dir: string;
  let blobs: BlobStore;
  let srv: TestServer;
  let a: TestTenant;
  let owners: Awaited<ReturnType<typeof seedOwners>>;
  let png: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kasir-images-'));
    if (kind === 's3') sim = await startS3Simulator();
    // The server builds its blob store from these settings, exactly as in production.
    const storeEnv: Record<string, string> = sim
      ? { POS_S3_BUCKET: sim.bucket, POS_S3_ENDPOINT: sim.endpoint, POS_S3_REGION: sim.region, POS_S3_ACCESS_KEY_ID: sim.accessKeyId, POS_S3_SECRET_ACCESS_KEY: sim.secretAccessKey }
      : {};
    blobs = await createBlobStore(loadConfig({ POS_DATA_DIR: dir, ...storeEnv }));
    expect(blobs.kind).toBe(kind);
    srv = await startTestServer({ POS_IMAGE_MAX_BYTES: String(MAX_BYTES), POS_DATA_DIR: dir, ...storeEnv });
    a = await createTenant(srv.app);
    owners = await seedOwners(srv.app, a.tenantId);
    png = await makeImage('png', 800, 600);
  });

  afterAll(async () => {
    await srv?.stop();
    await blobs?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const url = (path: string) => `${srv.baseUrl}${path}`;
  const uploadPng = (headers = a.devHeaders) => uploadForm(url(`/api/v1/products/${owners.productId}/images`), headers, { data: png, filename: 'latte.png', type: 'image/png' });

  it('stores an uploaded PNG with its dimensions and serves the original bytes with caching headers', async () => {
    const up = await uploadPng();
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ owner_type: 'product', owner_id: owners.productId, content_type: 'image/png', byte_size: png.length, width: 800, height: 600, sort_order: 0 });
    expect(up.body.change_seq).toBeGreaterThan(0);
    expect(up.body.url).toBe(`/api/v1/images/${up.body.id}/content?size=original`);

    const meta = await call(srv.baseUrl, 'GET', `/api/v1/images/${up.body.id}`, { headers: a.devHeaders });
    expect(meta.status).toBe(200);
    expect(meta.body).toEqual(up.body);

    const original = await fetchImage(url(up.body.url), a.devHeaders);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/png');
    expect(original.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.bytes.equals(png)).toBe(true);
  });

  it('renders WebP thumbnails that decode to the advertised dimensions', async () => {
    const up = await uploadPng();
    expect(up.body.thumbnails).toEqual([
      { size: '512', content_type: 'image/webp', width: 512, height: 384, url: `/api/v1/images/${up.body.id}/content?size=512` },
      { size: '128', content_type: 'image/webp', width: 128, height: 96, url: `/api/v1/images/${up.body.id}/content?size=128` },
    ]);
    for (const t of up.body.thumbnails) {
      const got = await fetchImage(url(t.url), a.devHeaders);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/webp');
      expect(got.meta).toMatchObject({ format: 'webp', width: t.width, height: t.height });
    }
  });

  it('keeps small images at their size, and applies the EXIF orientation to dimensions and thumbnails', async () => {
    const small = await uploadForm(url(`/api/v1/variants/${owners.variantId}/images`), a.devHeaders, { data: await makeImage('webp', 100, 60), filename: 's.webp', type: 'image/webp' });
    expect(small.status).toBe(201);
    expect(small.body.thumbnails.map((t: { width: number; height: number }) => [t.width, t.height])).toEqual([[100, 60], [100, 60]]);

    const rotated = await uploadForm(url(`/api/v1/products/${owners.productId}/images`), a.devHeaders, { data: await makeImage('jpeg', 400, 200, { orientation: 6 }), filename: 'r.jpg', type: 'image/jpeg' });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ content_type: 'image/jpeg', width: 200, height: 400 });
    const thumb = await fetchImage(url(rotated.body.thumbnails[1].url), a.devHeaders);
    expect(thumb.meta).toMatchObject({ width: 64, height: 128 });
  });

  it('stores a PNG named .jpg and declared image/jpeg as a PNG', async () => {
    const up = await uploadForm(url(`/api/v1/products/${owners.productId}/images`), a.devHeaders, { data: png, filename: 'photo.jpg', type: 'image/jpeg' });
    expect(up.status).toBe(201);
    expect(up.body.content_type).toBe('image/png');
    const got = await fetchImage(url(up.body.url), a.devHeaders);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.meta?.format).toBe('png');
  });

  it('refuses a text file named cat.png, a GIF and a truncated PNG, storing nothing', async () => {
    const before = await call(srv.baseUrl, 'GET', `/api/v1/categories/${owners.categoryId}/images`, { headers: a.devHeaders });
    const objectsBefore = sim?.objects.size;
    const text = await uploadForm(url(`/api/v1/categories/${owners.categoryId}/images`), a.devHeaders, { data: Buffer.from('meow, definitely a cat picture\n'), filename: 'cat.png', type: 'image/png' });
    expect(text.status).toBe(400);
    expect(text.body.error).toMatchObject({ code: 'IMAGE_TYPE_UNSUPPORTED', details: { detected: 'text' } });

    const gif = await uploadForm(url(`/api/v1/categories/${owners.categoryId}/images`), a.devHeaders, { data: await makeImage('gif', 10, 10), filename: 'a.png', type: 'image/png' });
    expect(gif.body.error).toMatchObject({ code: 'IMAGE_TYPE_UNSUPPORTED', details: { detected: 'gif' } });

    const truncated = await uploadForm(url(`/api/v1/categories/${owners.categoryId}/images`), a.devHeaders, { data: png.subarray(0, Math.floor(png.length / 2)), filename: 'half.png', type: 'image/png' });
    expect(truncated.status).toBe(400);
    expect(truncated.body.error.code).toBe('IMAGE_UNREADABLE');

    const after = await call(srv.baseUrl, 'GET', `/api/v1/categories/${owners.categoryId}/images`, { headers: a.devHeaders });
    expect(after.body.items).toEqual(before.body.items);
    if (sim) expect(sim.objects.size).toBe(objectsBefore);
  });

  it('refuses a file over POS_IMAGE_MAX_BYTES with IMAGE_TOO_LARGE naming the limit', async () => {
    const big = await makeImage('png', 300, 300, { noise: true });
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    const up = await uploadForm(url(`/api/v1/products/${owners.productId}/images`), a.devHeaders, { data: big, filename: 'big.png', type: 'image/png' });
    expect(up.status).toBe(400);
    expect(up.body.error).toMatchObject({ code: 'IMAGE_TOO_LARGE', details: { max_bytes: MAX_BYTES } });
  });

  it('needs a file and an existing owner', async () => {
    const none = await uploadForm(url(`/api/v1/products/${owners.productId}/images`), a.devHeaders, undefined, { sort_order: '1' });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('IMAGE_FILE_MISSING');
    const json = await call(srv.baseUrl, 'POST', `/api/v1/products/${owners.productId}/images`, { headers: a.devHeaders, body: { file: 'aGVsbG8=' } });
    expect(json.body.error.code).toBe('IMAGE_FILE_MISSING');
    const ghost = await uploadForm(url(`/api/v1/products/${crypto.randomUUID()}/images`), a.devHeaders, { data: png, filename: 'x.png', type: 'image/png' });
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.code).toBe('IMAGE_OWNER_NOT_FOUND');
    const badType = await uploadForm(url('/api/v1/images'), a.devHeaders, { data: png, filename: 'x.png', type: 'image/png' }, { owner_type: 'order', owner_id: owners.productId });
    expect(badType.status).toBe(400);
    expect(badType.body.error.details.fields[0].field).toBe('owner_type');
  });

  it('uploads through POST /api/v1/images with owner fields, and lists an owner’s images', async () => {
    const up = await uploadForm(url('/api/v1/images'), a.devHeaders, { data: png, filename: 'c.png', type: 'image/png' }, { owner_type: 'category', owner_id: owners.categoryId, sort_order: '3' });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ owner_type: 'category', owner_id: owners.categoryId, sort_order: 3 });
    const listed = await call(srv.baseUrl, 'GET', `/api/v1/images?owner_type=category&owner_id=${owners.categoryId}`, { headers: a.devHeaders });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(up.body.id);
  });

  it('replays an upload with the same Idempotency-Key instead of storing a second image', async () => {
    const headers = { ...a.devHeaders, 'idempotency-key': `img-${crypto.randomUUID()}` };
    const first = await uploadForm(url(`/api/v1/variants/${owners.variantId}/images`), headers, { data: png, filename: 'v.png', type: 'image/png' });
    const again = await uploadForm(url(`/api/v1/variants/${owners.variantId}/images`), headers, { data: png, filename: 'v.png', type: 'image/png' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const up = await uploadPng();
    const first = await fetch(url(up.body.thumbnails[0].url), { headers: a.devHeaders });
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const again = await fetch(url(up.body.thumbnails[0].url), { headers: { ...a.devHeaders, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });

  it('deletes the row and every blob, clears it as a product’s main image, and tells the change feed with a tombstone', async () => {
    const up = await uploadPng();
    const keys = ['original.png', '512.webp', '128.webp'].map((f) => `tenants/${a.tenantId}/images/${up.body.id}/${f}`);
    for (const k of keys) expect(await blobs.head(k)).toBeDefined();
    await srv.app.database.transaction(a.tenantId, (db) => db.execute(sql`UPDATE products SET image_id = ${up.body.id} WHERE tenant_id = ${a.tenantId} AND id = ${owners.productId}`));
    const del = await call(srv.baseUrl, 'DELETE', `/api/v1/images/${up.body.id}`, { headers: a.devHeaders });
    expect(del.status).toBe(204);
    expect((await call(srv.baseUrl, 'GET', `/api/v1/images/${up.body.id}`, { headers: a.devHeaders })).body.error.code).toBe('IMAGE_NOT_FOUND');
    expect((await fetch(url(up.body.url), { headers: a.devHeaders })).status).toBe(404);
    for (const k of keys) expect(await blobs.head(k)).toBeUndefined();
    const tomb = await srv.app.database.transaction(a.tenantId, (db) =>
      db.execute(sql`SELECT entity_type, change_seq FROM catalog_tombstones WHERE tenant_id = ${a.tenantId} AND entity_id = ${up.body.id}`),
    );
    const row = (tomb as unknown as { rows: { entity_type: string; change_seq: string }[] }).rows[0];
    expect(row?.entity_type).toBe('image');
    expect(Number(row?.change_seq)).toBeGreaterThan(up.body.change_seq);
    expect((await call(srv.baseUrl, 'DELETE', `/api/v1/images/${up.body.id}`, { headers: a.devHeaders })).status).toBe(404);
    const product = await srv.app.database.transaction(a.tenantId, (db) => db.execute(sql`SELECT image_id, change_seq FROM products WHERE tenant_id = ${a.tenantId} AND id = ${owners.productId}`));
    expect((product as unknown as { rows: { image_id: string | null; change_seq: string }[] }).rows[0]).toMatchObject({ image_id: null });
    expect(Number((product as unknown as { rows: { change_seq: string }[] }).rows[0]!.change_seq)).toBe(Number(row?.change_seq));
  });

  it('does not let tenant B see, fetch, list or delete tenant A’s image', async () => {
    const up = await uploadPng();
    const b = await createTenant(srv.app);
    expect((await call(srv.baseUrl, 'GET', `/api/v1/images/${up.body.id}`, { headers: b.devHeaders })).status).toBe(404);
    for (const size of ['original', '512', '128']) {
      const r = await fetch(url(`/api/v1/images/${up.body.id}/content?size=${size}`), { headers: b.devHeaders });
      expect(r.status).toBe(404);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('IMAGE_NOT_FOUND');
    }
    expect((await call(srv.baseUrl, 'GET', `/api/v1/products/${owners.productId}/images`, { headers: b.devHeaders })).body.error.code).toBe('IMAGE_OWNER_NOT_FOUND');
    expect((await call(srv.baseUrl, 'DELETE', `/api/v1/images/${up.body.id}`, { headers: b.devHeaders })).status).toBe(404);
    const upB = await uploadPng(b.devHeaders);
    expect(upB.body.error.code).toBe('IMAGE_OWNER_NOT_FOUND');
    expect((await fetchImage(url(up.body.url), a.devHeaders)).status).toBe(200);
  });

  it('asks for credentials before reading a body or a blob', async () => {
    const up = await uploadPng();
    expect((await fetch(url(up.body.url))).status).toBe(401);
    const anon = await uploadForm(url(`/api/v1/products/${owners.productId}/images`), {}, { data: png, filename: 'x.png', type: 'image/png' });
    expect(anon.status).toBe(401);
    const badSize = await fetch(url(`/api/v1/images/${up.body.id}/content?size=1024`), { headers: a.devHeaders });
    expect(badSize.status).toBe(400);
  });
});
