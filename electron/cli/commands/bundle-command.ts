import type { Command } from 'commander';
import { Option } from 'commander';
import path from 'node:path';
import type { BundleBuildResult, BundleImportResult, BundleInspection, BundleVerifyResult, Language } from '../../core/contract';
import type { CliContext } from '../cli-context';
import { formatBytes } from '../render-text';

const L = {
  'zh-CN': { version: '版本', stack: '栈版本', from: '可从此版本升级', created: '创建时间', signer: '签名者', images: '镜像', models: '模型', installed: '已安装', relation: '关系', notes: '发行说明', ok: '校验通过', loaded: '已导入', skipped: '已存在（跳过）', wrote: '已写入', keyId: '密钥指纹', none: '无', relations: { fresh: '全新安装', upgrade: '升级', same: '相同版本', downgrade: '降级' } },
  en: { version: 'Version', stack: 'Stack version', from: 'Upgrades from', created: 'Created', signer: 'Signer', images: 'Images', models: 'Models', installed: 'Installed', relation: 'Relation', notes: 'Release notes', ok: 'Verified', loaded: 'Loaded', skipped: 'Already present (skipped)', wrote: 'Wrote', keyId: 'Key id', none: 'none', relations: { fresh: 'new installation', upgrade: 'upgrade', same: 'same version', downgrade: 'downgrade' } },
} as const;

export function renderInspection(i: BundleInspection, lang: Language): string {
  const l = L[lang];
  const m = i.manifest;
  return [
    `${l.version}: ${m.bundleVersion}   ${l.stack}: ${m.stackVersion}   ${l.from}: ${m.minUpgradeFrom}`,
    `${l.created}: ${m.createdAt}`,
    `${l.signer}: ${i.signer.name} (${i.signer.keyId.slice(0, 16)})`,
    `${l.installed}: ${i.installedVersion ?? l.none}   ${l.relation}: ${l.relations[i.relation]}`,
    `${l.images}:`,
    ...m.images.map((im) => `  ${im.ref.padEnd(48)} ${im.id.slice(7, 19)}  ${formatBytes(im.size)}`),
    ...(m.models.length ? [`${l.models}:`, ...m.models.map((x) => `  ${x.name.padEnd(48)} ${formatBytes(x.size)}`)] : []),
    `${l.notes}:`,
    m.releaseNotes[lang],
  ].join('\n');
}

export function registerBundleCommands(program: Command, ctx: CliContext): void {
  const bundle = program.command('bundle').description('Offline bundles: make keys, build, inspect, verify and import / 离线包');

  bundle
    .command('keygen')
    .description('create an Ed25519 signing key pair (<name>.key 0600, <name>.pub)')
    .requiredOption('--out-dir <dir>', 'folder for the key files')
    .option('--name <name>', 'key name', 'medai-release')
    .action(async (o: { outDir: string; name: string }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'bundle.keygen', { dir: path.resolve(o.outDir), name: o.name });
      ctx.io.stdout(g.json ? JSON.stringify(r, null, 2) : `${r.privateKeyPath}\n${r.publicKeyPath}\n${L[ctx.lang(g)].keyId}: ${r.keyId}`);
    });

  bundle
    .command('build')
    .description('build a signed bundle from images in the local engine')
    .requiredOption('--stack <dir>', 'stack definition folder (compose.yaml, stack.json, env.schema.json, release-notes/)')
    .requiredOption('--version <semver>', 'bundle version')
    .requiredOption('--key <file>', 'private signing key (PEM)')
    .requiredOption('--out <file>', 'bundle file to write')
    .option('--models <dir>', 'folder the model files in stack.json are read from')
    .addOption(new Option('--compression <kind>', 'image tarball compression').choices(['gzip', 'none']).default('gzip'))
    .option('--no-pull', 'do not pull images missing from the local engine (refuse instead)')
    .action(async (o: { stack: string; version: string; key: string; out: string; models?: string; compression: 'gzip' | 'none'; pull: boolean }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const { operationId } = await ctx.call(g, 'bundle.build', {
        stackDir: path.resolve(o.stack),
        bundleVersion: o.version,
        privateKeyPath: path.resolve(o.key),
        outPath: path.resolve(o.out),
        compression: o.compression,
        pull: o.pull,
        ...(o.models ? { modelsDir: path.resolve(o.models) } : {}),
      });
      const r = (await ctx.follow(g, operationId)) as BundleBuildResult;
      if (!g.json) ctx.io.stdout(`${L[ctx.lang(g)].wrote}: ${r.path} (${formatBytes(r.size)}), ${L[ctx.lang(g)].keyId}: ${r.keyId.slice(0, 16)}`);
    });

  bundle
    .command('inspect <file>')
    .description('show the signed manifest: versions, release notes, images and sizes, signer')
    .action(async (file: string, _o, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'bundle.inspect', { path: path.resolve(file) });
      ctx.io.stdout(g.json ? JSON.stringify(r, null, 2) : renderInspection(r, ctx.lang(g)));
    });

  bundle
    .command('verify <file>')
    .description('check the signature, then every image and model checksum (changes nothing)')
    .action(async (file: string, _o, cmd: Command) => {
      const g = ctx.globals(cmd);
      const { operationId } = await ctx.call(g, 'bundle.verify', { path: path.resolve(file) });
      const r = (await ctx.follow(g, operationId)) as BundleVerifyResult;
      if (!g.json) ctx.io.stdout(`${L[ctx.lang(g)].ok}: ${r.bundleVersion}, ${r.entriesVerified} entries, ${formatBytes(r.bytesVerified)}, ${L[ctx.lang(g)].signer}: ${r.signer.name}`);
    });

  bundle
    .command('import <file>')
    .description('verify and load the images into the engine in one pass; record the bundle')
    .option('--force', 'allow importing a bundle older than the installed version')
    .action(async (file: string, o: { force?: boolean }, cmd: Command) => {
      const g = ctx.globals(cmd);
      const { operationId } = await ctx.call(g, 'bundle.import', { path: path.resolve(file), force: Boolean(o.force) });
      const r = (await ctx.follow(g, operationId)) as BundleImportResult;
      const l = L[ctx.lang(g)];
      if (!g.json) {
        ctx.io.stdout(
          [
            `${l.version}: ${r.bundleVersion}`,
            `${l.loaded}: ${r.loaded.map((x) => x.ref).join(', ') || l.none}`,
            `${l.skipped}: ${r.skipped.map((x) => x.ref).join(', ') || l.none}`,
            `${l.models}: ${r.modelsDir}`,
          ].join('\n'),
        );
      }
    });

  bundle
    .command('list')
    .description('bundles imported on this machine, newest first')
    .action(async (_o, cmd: Command) => {
      const g = ctx.globals(cmd);
      const r = await ctx.call(g, 'bundle.list', {});
      ctx.io.stdout(g.json ? JSON.stringify(r, null, 2) : r.map((b) => `${b.bundleVersion}  ${b.importedAt}  ${b.signerKeyId.slice(0, 16)}  ${b.sourcePath}`).join('\n'));
    });
}
