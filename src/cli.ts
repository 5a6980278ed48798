#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { createDemoTenant } from './flows/demo-data.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';

const HELP: Record<string, string> = {
  main: `kasir — multi-tenant point-of-sale backend

Usage: kasir <command> [options]

Commands:
  serve     Start REST (:4104), gRPC (:50053) and the job worker in one process
  migrate   Apply pending database migrations and exit
  seed      Load data (--demo: a demo café tenant with staff and an API key)
  worker    Run only the job worker (for a separate worker process on PostgreSQL)

Every command reads its settings from POS_* environment variables (see .env.example);
DATABASE_URL unset means the embedded PGlite database in POS_DATA_DIR (./data).
Run 'kasir <command> --help' for a command's options.`,
  serve: `Usage: kasir serve [--demo]

Starts the REST API on POS_HTTP_PORT (4104), gRPC on POS_GRPC_PORT (50053) and, unless
POS_JOBS_ENABLED=false, the job worker. Applies pending migrations first unless POS_MIGRATE_ON_START=false.
With POS_AUTH_ENABLED=false (the default) the seed's development tenant 00000000-0000-0000-0000-000000000001
is created on a fresh database.

Options:
  --demo    Also create the demo tenant (Kopi Senja) if it does not exist, and print its API key
  --help    Show this help`,
  migrate: `Usage: kasir migrate

Applies the SQL files in db/migrations that the database has not seen, in order, each in its own
transaction, then checks that every tenant table is behind row-level security. Safe to run from several
processes at once (an advisory lock serializes them). Run it with an account that may create roles and
tables; the service itself then runs as the role POS_DB_APP_ROLE (kasir_app).

Options:
  --help    Show this help`,
  seed: `Usage: kasir seed --demo

Creates the demo tenant "Kopi Senja" (an outlet, a register, an owner, a manager, a cashier and an API key
with every permission) and prints what it made. If it exists already, prints a fresh API key for it.

Options:
  --demo    Required: the demo data set
  --help    Show this help`,
  worker: `Usage: kasir worker

Runs the background job worker only (outbox relay, scheduled jobs, purges), without REST or gRPC.
Use it to scale workers apart from API nodes on PostgreSQL.

Options:
  --help    Show this help`,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP.main);
    return command ? 0 : 1;
  }
  if (!(command in HELP) || command === 'main') {
    console.error(`kasir: unknown command "${command}"\n\n${HELP.main}`);
    return 2;
  }
  let flags: { help?: boolean; demo?: boolean };
  try {
    flags = parseArgs({ args: rest, options: { help: { type: 'boolean', short: 'h' }, demo: { type: 'boolean' } }, strict: true }).values;
  } catch (e) {
    console.error(`kasir ${command}: ${(e as Error).message}\n\n${HELP[command]}`);
    return 2;
  }
  if (flags.help) {
    console.log(HELP[command]);
    return 0;
  }

  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 78; // EX_CONFIG
    }
    throw e;
  }
  // Tracing patches http, pg and gRPC as they load, so it starts before the app is imported; everything below
  // is imported only now, and the OpenTelemetry SDK only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT ? (await import('./platform/tracing.js')).startTracing(config) : undefined;
  const [{ createApp }, { createDemoTenant, DEMO_TENANT_ID, newDemoApiKey }, { openDatabase }, { createLogger }, { migrate }, { serve }, { startWorker }] =
    await Promise.all([
      import('./app.js'),
      import('./flows/demo-data.js'),
      import('./platform/db.js'),
      import('./platform/logger.js'),
      import('./platform/migrate.js'),
      import('./main.js'),
      import('./worker.js'),
    ]);
  const log = createLogger(config.POS_LOG_LEVEL);

  switch (command) {
    case 'serve':
      await serve(config, log, { demo: flags.demo === true, installSignals: true, afterStop: tracing && (() => tracing.shutdown()) });
      return -1; // keep running
    case 'migrate': {
      const database = await openDatabase({
        url: config.DATABASE_URL,
        dataDir: config.POS_DATA_DIR,
        poolSize: 1,
        appRole: config.POS_DB_APP_ROLE,
        beforeRoleSwitch: async (q) => {
          const applied = await migrate(q, (m) => log.info(m), config.POS_DB_APP_ROLE);
          console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
        },
      });
      await database.close();
      return 0;
    }
    case 'seed': {
      if (!flags.demo) {
        console.error(`kasir seed: say which data set (--demo)\n\n${HELP.seed}`);
        return 2;
      }
      const app = await createApp(config, log, { migrate: true });
      try {
        const exists = (await app.database.query('SELECT 1 FROM tenants WHERE id = $1', [DEMO_TENANT_ID])).rows.length > 0;
        if (exists) {
          console.log(`The demo tenant exists (id ${DEMO_TENANT_ID}). A fresh API key for it:\n\n  ${await newDemoApiKey(app)}\n`);
        } else {
          const demo = await createDemoTenant(app);
          console.log(formatDemo(demo));
        }
      } finally {
        await app.close();
      }
      return 0;
    }
    case 'worker': {
      const app = await createApp(config, log, { migrate: config.POS_MIGRATE_ON_START });
      const worker = await startWorker(app);
      log.info('Kasir worker is running');
      for (const sig of ['SIGTERM', 'SIGINT'] as const) {
        process.once(sig, () => {
          void worker
            .stop()
            .then(() => app.close())
            .then(() => process.exit(0));
        });
      }
      return -1;
    }
  }
  return 2;
}

function formatDemo(d: Awaited<ReturnType<typeof createDemoTenant>>): string {
  return [
    'Demo tenant created: Kopi Senja (demo)',
    `  tenant id    ${d.tenant_id}   (slug ${d.tenant_slug})`,
    `  outlet id    ${d.outlet_id}`,
    `  register id  ${d.terminal_id}`,
    '  staff:',
    ...d.staff.map((s) => `    ${s.role.padEnd(8)} ${s.name.padEnd(26)} membership ${s.membership_id}`),
    `  menu:        ${d.menu.products} products, ${d.menu.variants} priced variants in Coffee, Tea and Pastry (PB1 10 % included)`,
    '',
    '  API key (shown once, keep it):',
    `    ${d.api_key}`,
    '',
    `  Try: curl -H "x-api-key: ${d.api_key}" http://localhost:4104/api/v1/outlets`,
  ].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: Error) => {
    console.error(`kasir: ${e.message}`);
    process.exitCode = 1;
  },
);
