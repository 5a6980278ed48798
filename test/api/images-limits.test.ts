import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from '../support/server.js';
import { makeImage, seedOwners, uploadForm } from '../support/images.js';

describe('image uploads with the default limit', () => {
  let srv: TestServer;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kasir-images-'));
    srv = await startTestServer({ POS_DATA_DIR: dir });
  });
  afterAll(async () => {
    await srv?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a file above the 1 MiB JSON body limit, up to POS_IMAGE_MAX_BYTES (5 MiB)', async () => {
    expect(srv.config.POS_IMAGE_MAX_BYTES).toBe(5 * 1024 * 1024);
    const t = await createTenant(srv.app);
    const { productId } = await seedOwners(srv.app, t.tenantId);
    const big = await makeImage('png', 800, 800, { noise: true });
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const up = await uploadForm(`${srv.baseUrl}/api/v1/products/${productId}/images`, t.devHeaders, { data: big, filename: 'noise.png', type: 'image/png' });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ byte_size: big.length, width: 800, height: 800 });
  });

  it('documents the image routes in the OpenAPI document', async () => {
    const doc = await call(srv.baseUrl, 'GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/images', '/api/v1/images/{id}', '/api/v1/images/{id}/content', '/api/v1/products/{id}/images']));
  });
});
