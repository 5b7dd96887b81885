import path from 'node:path';
import { runCli } from './program';

// Built to dist/cli/medai.cjs; the app root (renderer build, docs) is two levels up.
const appRoot = process.env.MEDAI_APP_ROOT ?? path.resolve(__dirname, '..', '..');
void runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
  appRoot,
}).then((code) => {
  if (code !== 0) process.exitCode = code;
});
