import path from 'node:path';
import type { TargetLocation } from '../../contract';
import type { RepoAccess } from '../restic/restic-repo';
import type { TargetSecrets } from './target-secrets';

/** restic's repository string for a location (no credentials in it, ever). */
export function repositoryString(loc: TargetLocation): string {
  switch (loc.kind) {
    case 'local':
      return loc.path;
    case 'sftp':
      // sftp:user@host:/path is restic's form; the port goes into the ssh command.
      return `sftp:${loc.user}@${loc.host}:${loc.path}`;
    case 's3': {
      const endpoint = loc.endpoint.replace(/\/$/, '');
      const prefix = loc.prefix.replace(/^\/+|\/+$/g, '');
      return `s3:${endpoint}/${loc.bucket}${prefix ? `/${prefix}` : ''}`;
    }
    default:
      return ((l: never) => l)(loc);
  }
}

/**
 * Everything restic needs to open the target's repository. SSH runs in batch mode with
 * the target's own key and known_hosts (trust on first use, then pinned), so a changed
 * host key fails instead of silently connecting somewhere else.
 */
export function repoAccess(id: string, loc: TargetLocation, secrets: TargetSecrets, cacheDir: string): RepoAccess {
  const env: Record<string, string> = {};
  const options: string[] = [];
  if (loc.kind === 'sftp') {
    // restic splits this command line itself: quote whole arguments, never part of one.
    const ssh = [
      'ssh',
      '-i', `"${secrets.sshKeyFile}"`,
      '-p', String(loc.port),
      '-o', 'BatchMode=yes',
      '-o', 'IdentitiesOnly=yes',
      '-o', 'StrictHostKeyChecking=accept-new',
      '-o', `"UserKnownHostsFile=${secrets.knownHostsFile}"`,
      '-o', 'ConnectTimeout=10',
      '-o', 'LogLevel=ERROR',
      '-o', 'ServerAliveInterval=15',
      `${loc.user}@${loc.host}`,
      '-s', 'sftp',
    ];
    options.push(`sftp.command=${ssh.join(' ')}`);
  }
  if (loc.kind === 's3') {
    const c = secrets.readCredentials();
    if (c.accessKeyId) env.AWS_ACCESS_KEY_ID = c.accessKeyId;
    if (c.secretAccessKey) env.AWS_SECRET_ACCESS_KEY = c.secretAccessKey;
    if (loc.region) env.AWS_DEFAULT_REGION = loc.region;
    if (loc.bucketLookup !== 'auto') options.push(`s3.bucket-lookup=${loc.bucketLookup}`);
    if (loc.region) options.push(`s3.region=${loc.region}`);
  }
  return { label: id, repository: repositoryString(loc), passwordFile: secrets.passwordFile, env, options, cacheDir: path.join(cacheDir) };
}
