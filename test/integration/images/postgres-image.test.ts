import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/built-cli';

const name = `medai-imagetest-pg-${process.pid}`;
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();

describe('offline PostgreSQL image of the stack', () => {
  beforeAll(async () => {
    execFileSync('bash', [path.join(REPO_ROOT, 'test/images/build.sh'), 'postgres'], { stdio: 'ignore' });
    docker('run', '-d', '--name', name, '-e', 'POSTGRES_PASSWORD=generated-for-test', '-e', 'POSTGRES_DB=medai', 'medai-test/postgres:15');
    for (let i = 0; i < 60; i++) {
      try {
        docker('exec', name, 'pg_isready', '-h', '127.0.0.1', '-q');
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    throw new Error(`postgres did not become ready: ${docker('logs', name)}`);
  });
  afterAll(() => {
    docker('rm', '-f', '-v', name);
  });

  it('creates the database named by POSTGRES_DB on first start, reachable with the generated password over TCP', () => {
    const out = docker('exec', '-e', 'PGPASSWORD=generated-for-test', name, 'psql', '-h', '127.0.0.1', '-U', 'postgres', '-d', 'medai', '-Atc', 'select current_database()');
    expect(out).toBe('medai');
  });

  it('refuses a wrong password', () => {
    expect(() => docker('exec', '-e', 'PGPASSWORD=wrong', name, 'psql', '-h', '127.0.0.1', '-U', 'postgres', '-d', 'medai', '-Atc', 'select 1')).toThrow();
  });
});
