import sharp from 'sharp';
import type { App } from '../../src/app.js';
import { imageRoutes } from '../../src/adapters/http/routes/image.routes.js';
import type { RouteModule } from '../../src/adapters/http/server.js';
import { categories, ImageService, products, tickCatalogClock, variants } from '../../src/modules/catalog/index.js';
import type { BlobStore } from '../../src/platform/blob-store.js';
import { uuidv7 } from '../../src/platform/ids.js';

/** The image routes over a given blob store, as server.ts will wire them. */
export const imageRouteModule =
  (blobs: BlobStore): RouteModule =>
  (r, app) =>
    imageRoutes(r, app, new ImageService(blobs, { maxBytes: app.config.POS_IMAGE_MAX_BYTES }));

/** A category, a product in it and its variant, written directly (the image tests do not depend on their services). */
export async function seedOwners(app: App, tenantId: string): Promise<{ categoryId: string; productId: string; variantId: string }> {
  return app.database.transaction(tenantId, async (db) => {
    const seq = await tickCatalogClock({ db, tenantId });
    const [categoryId, productId, variantId] = [uuidv7(), uuidv7(), uuidv7()];
    await db.insert(categories).values({ tenantId, id: categoryId, name: 'Drinks', sortOrder: 0, active: true, changeSeq: seq });
    await db.insert(products).values({ tenantId, id: productId, name: 'Latte', categoryId, tags: [], type: 'standard', trackStock: true, active: true, changeSeq: seq });
    await db.insert(variants).values({ tenantId, id: variantId, productId, name: 'Regular', options: {}, weightBased: false, sortOrder: 0, active: true, changeSeq: seq });
    return { categoryId, productId, variantId };
  });
}

/** A real image of the given size: a colour gradient-ish block, or random noise (which compresses badly). */
export async function makeImage(format: 'png' | 'jpeg' | 'webp' | 'gif', width: number, height: number, opts: { noise?: boolean; orientation?: number } = {}): Promise<Buffer> {
  const channels = 3;
  const raw = Buffer.alloc(width * height * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = opts.noise ? Math.floor(Math.random() * 256) : (i * 7) % 256;
  let img = sharp(raw, { raw: { width, height, channels } });
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  return img.toFormat(format).toBuffer();
}

/** POSTs a multipart form with one file (name and declared type as given) and text fields. */
export async function uploadForm(
  url: string,
  headers: Record<string, string>,
  file: { data: Buffer; filename: string; type: string } | undefined,
  fields: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on whatever JSON the route returns
): Promise<{ status: number; body: any; headers: Headers }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([file.data], { type: file.type }), file.filename);
  const res = await fetch(url, { method: 'POST', headers, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** GETs bytes and decodes them, so a test can check what a client would actually display. */
export async function fetchImage(url: string, headers: Record<string, string>) {
  const res = await fetch(url, { headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  const meta = res.status === 200 && bytes.length ? await sharp(bytes).metadata() : undefined;
  return { status: res.status, headers: res.headers, bytes, meta };
}
