import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, startServe, type ServerProcess } from '../support/cli.js';

const running: ServerProcess[] = [];
afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
});

describe('the kasir command', () => {
  it('explains itself with --help, for every command', async () => {
    const env = cliEnv({});
    const main = await runCli(['--help'], env);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/serve.*migrate.*seed.*worker/s);
    for (const cmd of ['serve', 'migrate', 'seed', 'worker']) {
      const r = await runCli([cmd, '--help'], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: kasir ${cmd}`);
    }
  });

  it('refuses an unknown command or flag with usage', async () => {
    const r = await runCli(['serv'], cliEnv({}));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "serv"');
    const f = await runCli(['migrate', '--fast'], cliEnv({}));
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/--fast/);
  });

  it('refuses to start with a wrong setting, naming the variable and what it expects', async () => {
    const r = await runCli(['serve'], cliEnv({ POS_HTTP_PORT: 'eighty', POS_AUTH_ENABLED: 'maybe' }));
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('POS_HTTP_PORT="eighty": expected a whole number from 0 to 65535');
    expect(r.stderr).toContain('POS_AUTH_ENABLED="maybe": expected true or false');
  });

  it('requires a JWKS URL when authentication is enabled', async () => {
    const r = await runCli(['serve'], cliEnv({ POS_AUTH_ENABLED: 'true' }));
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('POS_AUTH_JWKS_URL');
  });

  // Each starts `kasir serve` from the TypeScript sources on a fresh PGlite: seconds on a quiet machine, far
  // more on a loaded one; the limits only stop a hung process.
  it('serves the seed development tenant, refuses a second process on the same data directory, and drains on SIGTERM', { timeout: 120_000 }, async () => {
    const env = cliEnv({ POS_LOG_LEVEL: 'info' });
    const server = await startServe(env);
    running.push(server);
    const base = `http://127.0.0.1:${server.httpPort}`;
    const dev = { 'x-dev-tenant-id': '00000000-0000-0000-0000-000000000001' };
    const outlets = (await (await fetch(`${base}/api/v1/outlets`, { headers: dev })).json()) as { items: { code: string }[] };
    expect(outlets.items.map((o: { code: string }) => o.code)).toEqual(['MAIN']);

    const second = await runCli(['migrate'], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('in use by another Kasir process');

    // A request whose body is still arriving when SIGTERM lands must still be answered.
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(`${base}/api/v1/outlets`, { method: 'POST', headers: { ...dev, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"code":"LATE","name":');
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end('"Late outlet"}'), 300);
      }, 100);
    });
    expect(await inFlight).toBe(201);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it('logs one structured line per request with request id, tenant, route, status and duration', { timeout: 120_000 }, async () => {
    const env = cliEnv({ POS_LOG_LEVEL: 'info' });
    const server = await startServe(env);
    running.push(server);
    await fetch(`http://127.0.0.1:${server.httpPort}/api/v1/outlets?page_size=5`, { headers: { 'x-dev-tenant-id': '00000000-0000-0000-0000-000000000001', 'x-request-id': 'trace-abc-123' } });
    server.child.kill('SIGTERM');
    await server.exited;
    const lines = server.output().split('\n').filter((l) => l.includes('"msg":"request"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      req_id: 'trace-abc-123',
      tenant_id: '00000000-0000-0000-0000-000000000001',
      method: 'GET',
      route: '/api/v1/outlets',
      status: 200,
      duration_ms: expect.any(Number),
    });
  });

  it('seeds the demo tenant and prints an API key that works', { timeout: 120_000 }, async () => {
    const env = cliEnv({ POS_LOG_LEVEL: 'warn' });
    const seeded = await runCli(['seed', '--demo'], env);
    expect(seeded.code).toBe(0);
    const key = /(ksr_[A-Za-z0-9_-]{87})/.exec(seeded.stdout)?.[1];
    expect(key).toBeDefined();
    expect(seeded.stdout).toContain('Kopi Senja');
    const again = await runCli(['seed', '--demo'], env);
    expect(again.stdout).toContain('A fresh API key');

    const server = await startServe({ ...env, POS_LOG_LEVEL: 'info' });
    running.push(server);
    const base = `http://127.0.0.1:${server.httpPort}`;
    const headers = { 'x-api-key': key!, 'content-type': 'application/json' };
    const res = await fetch(`${base}/api/v1/outlets`, { headers });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: { name: string }[] }).items[0]!.name).toBe('Kopi Senja Kemang');
    // The demo menu sells at once: scan a barcode, ring it up with cash, PB1 10 % included in the price.
    const hit = (await (await fetch(`${base}/api/v1/catalog/lookup?code=8990001000031`, { headers })).json()) as { variant_id: string; product: { name: string } };
    expect(hit.product.name).toBe('Iced Latte');
    const sale = await fetch(`${base}/api/v1/checkout`, { method: 'POST', headers, body: JSON.stringify({ items: [{ variant_id: hit.variant_id, quantity: 1 }], tenders: [{ payment_type: 'CASH', amount: 5000000 }] }) });
    expect(sale.status).toBe(201);
    expect(await sale.json()).toMatchObject({ status: 'COMPLETED', total: 3000000, tax_total: 272727, change_due: 2000000 });
    server.child.kill('SIGTERM');
    await server.exited;
  });
});
