import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { execSync } from 'node:child_process';
import { execCollect } from '../../../electron/core/backup/snapshot/container-exec';
import { REPO_ROOT } from '../../support/built-cli';

/**
 * A small stand-in for the installed stack: PostgreSQL and Redis from the stack's own test
 * images, labelled like the stack engine labels its containers (Compose project/service),
 * each with its named volume. Everything is named medai-backuptest-* and removed by stop().
 */
export async function startTestStack(docker: Docker, opts: { project?: string; pgPassword?: string; redisPassword?: string } = {}) {
  execSync(`bash ${REPO_ROOT}/test/images/build.sh postgres redis`, { stdio: 'ignore' });
  const project = opts.project ?? `medai-backuptest-${randomBytes(3).toString('hex')}`;
  const pgPassword = opts.pgPassword ?? randomBytes(12).toString('hex');
  const redisPassword = opts.redisPassword ?? randomBytes(12).toString('hex');
  const labels = (service: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': service, 'com.docker.compose.oneoff': 'False', 'medai.backuptest': '1' });
  const create = async (service: string, image: string, env: string[], mount: string) => {
    const volume = `${project}-${service}-data`;
    await docker.createVolume({ Name: volume, Labels: labels(service) });
    const c = await docker.createContainer({
      name: `${project}-${service}-1`,
      Image: image,
      Env: env,
      Labels: labels(service),
      HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: mount }] },
    });
    await c.start();
    return c.id;
  };
  const postgres = await create('postgres', 'medai-test/postgres:15', [`POSTGRES_PASSWORD=${pgPassword}`], '/var/lib/postgresql/data');
  const redis = await create('redis', 'medai-test/redis:7', [`REDIS_PASSWORD=${redisPassword}`], '/data');
  const stack = {
    project,
    postgres,
    redis,
    async sql(sql: string, db = 'medai'): Promise<string> {
      const r = await execCollect(docker, stack.postgres, ['psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql], { user: 'postgres' });
      if (r.code !== 0) throw new Error(`psql: ${r.stderr}`);
      return r.stdout.trim();
    },
    async redisCli(...args: string[]): Promise<string> {
      const r = await execCollect(docker, stack.redis, ['redis-cli', '--no-auth-warning', '-a', redisPassword, ...args]);
      return r.stdout.trim();
    },
    async waitReady(): Promise<void> {
      let last = '';
      for (let i = 0; i < 300; i++) {
        const pg = await execCollect(docker, stack.postgres, ['pg_isready', '-h', '127.0.0.1', '-U', 'postgres']).catch((e: Error) => ({ code: 1, stdout: '', stderr: e.message }));
        // The image's POSTGRES_DB path is broken (`postgres -D … --single` must put --single
        // first; reported), so the database is created here instead.
        if (pg.code === 0) await execCollect(docker, stack.postgres, ['sh', '-c', "psql -Atc \"select 1 from pg_database where datname='medai'\" | grep -q 1 || createdb medai"], { user: 'postgres' });
        const db = pg.code === 0 ? await execCollect(docker, stack.postgres, ['psql', '-At', '-d', 'medai', '-c', 'select 1'], { user: 'postgres' }) : pg;
        const rd = await stack.redisCli('PING').catch((e: Error) => e.message);
        if (pg.code === 0 && db.code === 0 && rd === 'PONG') return;
        last = `pg=${JSON.stringify(pg)} db=${JSON.stringify(db)} redis=${rd}`;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`test stack did not become ready: ${last}`);
    },
    /** Seeds patient-like data: a few thousand rows in two tables, and Redis keys. */
    async seed(rows = 5000): Promise<void> {
      await stack.sql(`CREATE TABLE IF NOT EXISTS patients (id serial PRIMARY KEY, name text NOT NULL, note text, admitted timestamptz DEFAULT '2026-01-01');
        CREATE TABLE IF NOT EXISTS visits (id bigserial PRIMARY KEY, patient_id int REFERENCES patients(id), summary text);
        INSERT INTO patients (name, note) SELECT 'patient ' || g, repeat(md5(g::text), 4) FROM generate_series(1, ${rows}) g;
        INSERT INTO visits (patient_id, summary) SELECT (g % ${rows}) + 1, 'visit ' || g FROM generate_series(1, ${rows * 2}) g;`);
      for (let i = 0; i < 50; i++) await stack.redisCli('SET', `session:${i}`, `value-${i}`);
    },
    /** Row counts and a checksum over the tables, computed independently of the product code. */
    async fingerprint(db = 'medai'): Promise<string> {
      return stack.sql(
        `SELECT (SELECT count(*) FROM patients) || ':' || (SELECT count(*) FROM visits) || ':' ||
          (SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM patients t) || ':' || (SELECT md5(string_agg(v::text, ',' ORDER BY id)) FROM visits v)`,
        db,
      );
    },
    async stop(): Promise<void> {
      for (const id of [stack.postgres, stack.redis]) await docker.getContainer(id).remove({ force: true, v: true }).catch(() => undefined);
      const vols = await docker.listVolumes({ filters: { label: [`com.docker.compose.project=${project}`] } });
      for (const v of vols.Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
    },
    /** Wipes the stack's volumes: containers and volumes removed, fresh empty ones created. */
    async wipe(): Promise<void> {
      await stack.stop();
      const fresh = await startTestStack(docker, { project, pgPassword, redisPassword });
      Object.assign(stack, { postgres: fresh.postgres, redis: fresh.redis });
      await stack.waitReady();
    },
  };
  return stack;
}
export type TestStack = Awaited<ReturnType<typeof startTestStack>>;
