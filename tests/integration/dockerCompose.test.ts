import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CommanderError, type Command } from 'commander';
import { buildProgram } from '../../src/cli/main';
import { loadConfig } from '../../src/config';

/**
 * docker-compose.yml is the production shape. `docker compose config` (the compose plugin of the
 * docker CLI; no daemon needed) validates it and prints it resolved, and the checks below read
 * that output: what the services would really get, not what the YAML looks like.
 */
const hasCompose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
if (!hasCompose) console.warn('docker-compose.yml checks skipped: no docker CLI with the compose plugin (`docker compose version` failed)');

interface Service {
  image?: string;
  entrypoint?: string[];
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: { type: string; source?: string; target: string; read_only?: boolean }[];
  ports?: { target: number; published?: string }[];
  configs?: { source: string; target: string }[];
  container_name?: string;
  init?: boolean;
  profiles?: string[];
}
interface Resolved {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  configs: Record<string, { content?: string }>;
}

const ENV = { ...process.env, MARKET_DATA_DIR: '/srv/market-csv', POSTGRES_PASSWORD: 'pw-under-test', TRAINER_SLOTS: '3' };
const compose = (args: string[], env: NodeJS.ProcessEnv = ENV) => spawnSync('docker', ['compose', '-f', 'docker-compose.yml', ...args], { encoding: 'utf8', env, timeout: 60_000 });

/** The product's CLI program (src/cli/main.ts), built but not run, and silent. */
function cliProgram(): Command {
  const quiet = (c: Command) => {
    c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    c.commands.forEach(quiet);
  };
  const program = buildProgram();
  quiet(program);
  return program;
}

class Parsed extends Error {
  constructor(
    readonly command: string,
    readonly opts: Record<string, unknown>,
  ) {
    super(`parsed ${command}`);
  }
}

/** Parses argv exactly as the CLI would and stops before the action runs: the command path and its options. */
async function parse(program: Command, argv: string[]): Promise<Parsed | CommanderError> {
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof Parsed || e instanceof CommanderError) return e;
    throw e;
  }
  throw new Error(`${argv.join(' ')}: parsed without reaching an action`);
}

describe.skipIf(!hasCompose)('docker-compose.yml (production shape)', () => {
  let cfg: Resolved;
  let program: Command;
  beforeAll(async () => {
    const r = compose(['--profile', 'cli', 'config', '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    cfg = JSON.parse(r.stdout) as Resolved;
    program = cliProgram();
    program.hook('preAction', (_root, action) => {
      const path: string[] = [];
      for (let c: Command | null = action; c && c !== program; c = c.parent) path.unshift(c.name());
      throw new Parsed(path.join(' '), action.opts());
    });
  }, 60_000);

  it('is valid, with the defaults and with every variable set', () => {
    const plain = { ...process.env };
    delete plain.MARKET_DATA_DIR;
    delete plain.POSTGRES_PASSWORD;
    delete plain.TRAINER_SLOTS;
    for (const env of [plain, ENV]) {
      const r = compose(['config', '-q'], env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/warn/i);
    }
    // The deprecated all-in-one image is gone.
    expect(Object.values(cfg.services).map((s) => s.image ?? '')).not.toContainEqual(expect.stringContaining('auto-setup'));
  });

  it("Temporal persists to the compose Postgres, whose databases and schema a one-shot job prepares first", () => {
    const s = cfg.services;
    const pg = s.postgres;
    expect(pg.image).toBe('postgres:15');
    expect(pg.volumes?.find((v) => v.target === '/var/lib/postgresql/data')?.type).toBe('volume');

    const t = s.temporal;
    expect(t.image).toBe('temporalio/server:1.29.1');
    const te = t.environment!;
    expect(te.DB).toBe('postgres12');
    expect(s[te.POSTGRES_SEEDS]).toBe(pg);
    expect(te.DB_PORT).toBe('5432');
    expect(te.POSTGRES_USER).toBe(pg.environment!.POSTGRES_USER);
    expect(te.POSTGRES_PWD).toBe('pw-under-test');
    expect(pg.environment!.POSTGRES_PASSWORD).toBe('pw-under-test');
    // Dynamic config inline, mounted where the server is told to read it.
    const dyn = t.configs!.find((c) => c.target === te.DYNAMIC_CONFIG_FILE_PATH);
    expect(cfg.configs[dyn!.source].content).toMatch(/limit\.maxIDLength/);

    const schema = s['temporal-schema'];
    expect(schema.image).toBe('temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0');
    expect(t.depends_on!['temporal-schema'].condition).toBe('service_completed_successfully');
    expect(schema.depends_on!.postgres.condition).toBe('service_healthy');
    expect(schema.environment!.PGHOST).toBe('postgres');
    expect(schema.environment!.PGUSER).toBe(te.POSTGRES_USER);
    expect(schema.environment!.PGPASSWORD).toBe('pw-under-test');
    // It creates exactly the databases the server uses, and only when missing (re-runnable on a kept volume).
    const script = [schema.command].flat().join('\n');
    for (const db of [te.DBNAME, te.VISIBILITY_DBNAME]) expect(script).toContain(`${db}:`);
    expect(script).toMatch(/pg_database WHERE datname/);
    expect(script).toMatch(/to_regclass\('public\.schema_version'\)/);
    expect(script).toMatch(/update-schema/);
    // The scripts are valid bash as the container gets them (`config` prints `$$` escaped, as in the file; the container sees `$`).
    for (const job of [schema, s['temporal-namespace']]) {
      expect(job.entrypoint).toEqual(['/bin/bash', '-c']);
      const check = spawnSync('bash', ['-n', '-c', [job.command].flat().join('\n').replaceAll('$$', '$')], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    }

    const ns = s['temporal-namespace'];
    expect(ns.depends_on!.temporal.condition).toBe('service_healthy');
    expect(ns.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect([ns.command].flat().join('\n')).toMatch(/namespace create -n default/);

    const ui = s['temporal-ui'];
    expect(ui.image).toBe('temporalio/ui:2.42.1');
    expect(ui.ports).toContainEqual(expect.objectContaining({ target: 8080, published: '8233' }));
  });

  it('the schema job is re-runnable on a kept volume: databases created once, schema initialised once, then only updated', () => {
    const hasPsql = spawnSync('psql', ['--version']).status === 0 && spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-tAc', 'select 1']).status === 0;
    if (!hasPsql) {
      if (process.env.CI === 'true') throw new Error('psql and Postgres on 127.0.0.1 are required under CI');
      console.warn('schema-job rerun check skipped: no psql or Postgres on 127.0.0.1');
      return;
    }
    // The job's script as the container runs it, against this machine's Postgres under throwaway
    // database names; temporal-sql-tool is a stand-in that logs its calls and, for setup-schema,
    // creates the schema_version table the way the real tool does.
    const tag = `cs_${process.pid}_${Date.now().toString(36)}`;
    const script = [cfg.services['temporal-schema'].command]
      .flat()
      .join('\n')
      .replaceAll('$$', '$')
      .replace('for pair in temporal:temporal temporal_visibility:visibility;', `for pair in ${tag}_t:temporal ${tag}_v:visibility;`)
      .replaceAll('psql -d retrain', 'psql -d postgres');
    expect(script).toContain(`${tag}_t:temporal`);
    const bin = mkdtempSync(join(tmpdir(), 'sqltool-'));
    const log = join(bin, 'calls.log');
    writeFileSync(
      join(bin, 'temporal-sql-tool'),
      `#!/bin/bash\nset -eu\ndb=""; args=("$@")\nfor ((i=0; i<\${#args[@]}; i++)); do [ "\${args[$i]}" = --db ] && db="\${args[$((i+1))]}"; done\nfor a in "$@"; do case "$a" in setup-schema|update-schema) echo "$db $a" >> ${log}; [ "$a" = setup-schema ] && psql -q -d "$db" -c "CREATE TABLE schema_version (db_name text primary key)"; esac; done\nexit 0\n`,
    );
    chmodSync(join(bin, 'temporal-sql-tool'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, PGHOST: '127.0.0.1', PGPORT: '5432', PGUSER: 'postgres', PGPASSWORD: '' };
    const drop = () => spawnSync('psql', ['-d', 'postgres', '-c', `DROP DATABASE IF EXISTS ${tag}_t`, '-c', `DROP DATABASE IF EXISTS ${tag}_v`], { env });
    try {
      const first = spawnSync('bash', ['-c', script], { encoding: 'utf8', env });
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain(`creating database ${tag}_t`);
      expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([`${tag}_t setup-schema`, `${tag}_t update-schema`, `${tag}_v setup-schema`, `${tag}_v update-schema`]);
      writeFileSync(log, '');
      const again = spawnSync('bash', ['-c', script], { encoding: 'utf8', env });
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).not.toMatch(/creating database|initialising the schema/);
      expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([`${tag}_t update-schema`, `${tag}_v update-schema`]);
    } finally {
      drop();
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('worker, trainer and cli read, through the real loadConfig, this stack’s Postgres, Temporal and mounted folders', () => {
    const s = cfg.services;
    const pgEnv = s.postgres.environment!;
    for (const name of ['worker', 'trainer', 'cli']) {
      const svc = s[name];
      const c = loadConfig(svc.environment);
      const url = new URL(c.databaseUrl!);
      expect(s[url.hostname], `${name}: DATABASE_URL host is the postgres service`).toBe(s.postgres);
      expect([url.port, decodeURIComponent(url.username), decodeURIComponent(url.password), url.pathname]).toEqual(['5432', pgEnv.POSTGRES_USER, pgEnv.POSTGRES_PASSWORD, `/${pgEnv.POSTGRES_DB}`]);
      const [host, port] = c.temporal.address!.split(':');
      expect(s[host], `${name}: TEMPORAL_ADDRESS host is the temporal service`).toBe(s.temporal);
      expect(port).toBe('7233');
      expect(c.temporal.namespace).toBe('default');
      const csv = svc.volumes!.find((v) => v.target === c.marketDataDir);
      expect(csv, `${name}: MARKET_DATA_DIR is mounted`).toBeDefined();
      expect(csv!.read_only).toBe(true);
      expect(csv!.source).toBe('/srv/market-csv');
      const reports = svc.volumes!.find((v) => v.target === c.reportsDir);
      expect(reports?.type).toBe('volume');
      expect(reports?.source).toBe('reports');
      expect(svc.init).toBe(true);
      expect(svc.depends_on!.postgres.condition).toBe('service_healthy');
      expect(svc.depends_on!['temporal-namespace'].condition).toBe('service_completed_successfully');
      expect(existsSync(svc.entrypoint![1])).toBe(true);
    }
    expect(loadConfig(s.trainer.environment).worker.maxConcurrentActivities).toBe(3);
    // One-off commands only: `up` does not start the cli service.
    expect(s.cli.profiles).toEqual(['cli']);
  });

  it('trainers scale with --scale trainer=N: no fixed container name or published port', () => {
    for (const name of ['worker', 'trainer']) {
      expect(cfg.services[name].container_name).toBeUndefined();
      expect(cfg.services[name].ports ?? []).toEqual([]);
    }
  });

  it('the exact command lines parse in the CLI: the services’ and the README’s', async () => {
    const s = cfg.services;
    const args = (svc: Service) => [svc.command ?? []].flat();
    for (const name of ['worker', 'trainer', 'cli']) expect(s[name].entrypoint).toEqual(['node', 'bin/regime-retrain.mjs']);
    const worker = await parse(program, args(s.worker));
    expect(worker).toMatchObject({ command: 'worker', opts: { role: 'workflows' } });
    expect(await parse(program, args(s.trainer))).toMatchObject({ command: 'worker', opts: { role: 'activities' } });
    expect((await parse(program, args(s.cli)) as CommanderError).code).toBe('commander.helpDisplayed');
    // A role the worker does not know is refused while parsing.
    expect((await parse(program, ['worker', '--role', 'trainer'])) as CommanderError).toMatchObject({ code: 'commander.invalidArgument' });

    const readme = readFileSync('docs/operations.md', 'utf8'); // the compose commands a user copies
    const documented = [...readme.matchAll(/^\s*(?:[A-Z_]+=\S+\s+)*docker compose run --rm cli (.+)$/gm)].map((m) => m[1].replace(/\s+#.*$/, '').trim().split(/\s+/));
    expect(documented.length).toBeGreaterThanOrEqual(3);
    for (const argv of documented) expect(await parse(program, argv), argv.join(' ')).toBeInstanceOf(Parsed);
  }, 60_000);
});
