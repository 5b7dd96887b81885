import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TargetCredentials } from '../../contract';

/**
 * A target's secrets on disk: <dataDir>/backup/targets/<id>/, the folder 0700 and every
 * file 0600, written with O_EXCL-free atomic renames so a crash leaves the old or the new.
 * restic reads the password from its file (RESTIC_PASSWORD_FILE), never from argv.
 */
export class TargetSecrets {
  constructor(readonly dir: string) {}

  static forTarget(dataDir: string, id: string): TargetSecrets {
    return new TargetSecrets(path.join(dataDir, 'backup', 'targets', id));
  }

  get passwordFile(): string {
    return path.join(this.dir, 'repository-password');
  }
  get sshKeyFile(): string {
    return path.join(this.dir, 'ssh-key');
  }
  get knownHostsFile(): string {
    return path.join(this.dir, 'known_hosts');
  }
  private get credentialsFile(): string {
    return path.join(this.dir, 'credentials.json');
  }

  private ensureDir(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.dir, 0o700);
  }

  private writeSecret(file: string, content: string): void {
    this.ensureDir();
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, content, { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  }

  /** 32 random bytes, base64url: strong, printable, no shell-special characters. */
  static generatePassword(): string {
    return randomBytes(32).toString('base64url');
  }

  writePassword(password: string): void {
    this.writeSecret(this.passwordFile, password);
  }
  readPassword(): string | undefined {
    return fs.existsSync(this.passwordFile) ? fs.readFileSync(this.passwordFile, 'utf8') : undefined;
  }

  writeCredentials(c: TargetCredentials): void {
    const { sshPrivateKey, ...rest } = c;
    if (sshPrivateKey !== undefined) this.writeSecret(this.sshKeyFile, sshPrivateKey.endsWith('\n') ? sshPrivateKey : `${sshPrivateKey}\n`);
    if (Object.keys(rest).length) this.writeSecret(this.credentialsFile, JSON.stringify({ ...this.readCredentials(), ...rest }));
  }

  readCredentials(): Omit<TargetCredentials, 'sshPrivateKey'> {
    if (!fs.existsSync(this.credentialsFile)) return {};
    return JSON.parse(fs.readFileSync(this.credentialsFile, 'utf8')) as Omit<TargetCredentials, 'sshPrivateKey'>;
  }

  hasAny(): boolean {
    return fs.existsSync(this.sshKeyFile) || fs.existsSync(this.credentialsFile);
  }

  /** Every secret value, for the redactor. */
  values(): string[] {
    const c = this.readCredentials();
    const key = fs.existsSync(this.sshKeyFile) ? fs.readFileSync(this.sshKeyFile, 'utf8').trim() : undefined;
    return [this.readPassword(), c.secretAccessKey, c.accessKeyId, key].filter((v): v is string => !!v);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
