import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../support/built-cli';

const tag = `medai-imagetest-mv-${process.pid}`;
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'bundles/medical-ai-stack/compose.yaml'), 'utf8')) as {
  services: Record<string, { image: string; command?: string[] }>;
};

describe('Milvus of the product stack', () => {
  beforeAll(async () => {
    execFileSync('bash', [path.join(REPO_ROOT, 'test/images/build.sh'), 'etcd', 'milvus'], { stdio: 'ignore' });
    docker('network', 'create', tag);
    docker('run', '-d', '--name', `${tag}-etcd`, '--network', tag, '--network-alias', 'etcd', compose.services.etcd!.image);
    // Exactly the command the shipped compose file gives the milvus service.
    docker('run', '-d', '--name', `${tag}-milvus`, '--network', tag, compose.services.milvus!.image, ...compose.services.milvus!.command!);
    for (let i = 0; i < 90; i++) {
      const state = docker('inspect', '-f', '{{.State.Status}} {{.State.Health.Status}}', `${tag}-milvus`);
      if (state === 'running healthy') return;
      if (state.startsWith('exited')) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    throw new Error(`milvus did not become healthy: ${docker('logs', '--tail', '40', `${tag}-milvus`)}`);
  });
  afterAll(() => {
    docker('rm', '-f', '-v', `${tag}-milvus`, `${tag}-etcd`);
    docker('network', 'rm', tag);
  });

  it('keeps its metadata in the stack etcd service, not in an embedded etcd', () => {
    const keys = docker('exec', `${tag}-etcd`, 'etcdctl', '--endpoints=http://127.0.0.1:2379', 'get', '--prefix', 'by-dev', '--keys-only');
    expect(keys).toContain('by-dev/kv/gid/timestamp');
    const config = docker('exec', `${tag}-milvus`, 'cat', '/var/lib/milvus/configs/milvus.yaml');
    expect(config).toMatch(/^ {2}endpoints: etcd:2379/m);
    expect(config).toMatch(/^ {4}embed: False/m);
  });
});
