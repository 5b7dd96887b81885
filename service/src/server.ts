import { closeSync, openSync } from 'node:fs';
import { loadConfig } from './config/config.js';
import { ServiceError } from './errors.js';
import { buildApp } from './http/app.js';
import { createService } from './service.js';

// Entry point of the container: validate configuration, load the model, serve.
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.LOG_FILE) closeSync(openSync(config.LOG_FILE, 'a', 0o600)); // logs may name patients' request ids: 0600
  const logger = { level: config.LOG_LEVEL, ...(config.LOG_FILE ? { file: config.LOG_FILE } : {}) };
  const consoleLog = {
    info: (o: object | string, m?: string) => console.log(JSON.stringify({ level: 'info', msg: m ?? o, ...(typeof o === 'object' ? o : {}) })),
    warn: (o: object | string, m?: string) => console.warn(JSON.stringify({ level: 'warn', msg: m ?? o, ...(typeof o === 'object' ? o : {}) })),
    error: (o: object | string, m?: string) => console.error(JSON.stringify({ level: 'error', msg: m ?? o, ...(typeof o === 'object' ? o : {}) })),
  };
  const service = await createService(config, consoleLog);
  const app = await buildApp(service, { logger });
  const stop = async () => {
    await app.close();
    await service.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  await app.listen({ host: config.HOST, port: config.PORT });
}

main().catch((e: unknown) => {
  if (e instanceof ServiceError) {
    console.error(`medical-ai-service: ${e.code}: ${e.message}${e.extra.remedy ? `\n  fix: ${e.extra.remedy}` : ''}`);
    for (const f of e.extra.fields ?? []) console.error(`  - ${f.field}: ${f.message}`);
  } else {
    console.error('medical-ai-service: failed to start:', e);
  }
  process.exit(1);
});
