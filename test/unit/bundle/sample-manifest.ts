/** A valid manifest for schema and policy tests. */
export const sampleManifest = () => ({
  schemaVersion: 1,
  bundleVersion: '1.2.0',
  stackVersion: '1.2.0',
  minUpgradeFrom: '1.0.0',
  createdAt: '2026-11-29T06:00:00.000Z',
  releaseNotes: { 'zh-CN': '修复', en: 'Fixes' },
  compose: { file: 'compose.yaml', content: 'services: {}\n' },
  envSchema: [{ name: 'SECRET_KEY', description: { 'zh-CN': '密钥', en: 'key' }, secret: true, generate: 'hex32' }],
  images: [
    { service: 'postgres', ref: 'medai/postgres:15', id: `sha256:${'a'.repeat(64)}`, file: 'images/postgres.tar.gz', compression: 'gzip', sha256: 'b'.repeat(64), size: 10, unpackedSize: 20 },
  ],
  models: [{ name: 'all-MiniLM-L6-v2/model.onnx', file: 'models/all-MiniLM-L6-v2/model.onnx', sha256: 'c'.repeat(64), size: 5 }],
});
