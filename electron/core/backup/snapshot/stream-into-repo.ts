import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fail } from '../../contract';
import type { BackupCommon, ResticRepo } from '../restic/restic-repo';

export interface StreamedItem {
  snapshotId: string;
  bytes: number;
  sha256: string;
  dataAdded: number;
}

/**
 * Pipes a producer (pg_dump, a file) into `restic backup --stdin`, hashing on the way. If
 * the producer fails, restic is killed before it sees EOF, so the truncated stream is
 * never committed as a snapshot.
 */
export async function streamIntoRepo(
  repo: ResticRepo,
  filename: string,
  source: Readable,
  producerExit: Promise<number>,
  common: BackupCommon,
  describe: { component: string; stderr: () => string; abort: () => void },
): Promise<StreamedItem> {
  const { proc, finish } = repo.startStdinBackup(filename, common);
  const sink = proc.stdin!;
  const hash = createHash('sha256');
  let bytes = 0;
  let sinkBroken = false;
  sink.on('error', () => (sinkBroken = true));
  const pumped = new Promise<void>((resolve, reject) => {
    source.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      if (!sink.write(chunk)) {
        source.pause();
        sink.once('drain', () => source.resume());
      }
    });
    source.on('end', resolve);
    source.on('error', reject);
    // restic died (target full, unreachable): stop feeding it.
    void proc.done.then(() => {
      if (!source.readableEnded) {
        sinkBroken = true;
        source.destroy();
        resolve();
      }
    });
  });
  try {
    await pumped;
  } catch (e) {
    // The producer's stream broke (engine connection lost): no snapshot of a partial file.
    describe.abort();
    proc.kill('SIGKILL');
    await proc.done;
    throw fail('BACKUP_COMPONENT_FAILED', { component: describe.component, reason: 'the data stream broke' }, e instanceof Error ? e.message : String(e));
  }
  if (sinkBroken) {
    // restic stopped first: its error (target full, unreachable) is the one to report.
    describe.abort();
    await finish();
    throw fail('BACKUP_COMPONENT_FAILED', { component: describe.component, reason: 'the repository stopped accepting data' });
  }
  const code = await producerExit;
  if (code !== 0) {
    proc.kill('SIGKILL');
    await proc.done;
    throw fail('BACKUP_COMPONENT_FAILED', { component: describe.component, reason: `exit ${code}` }, describe.stderr().trim().slice(-2000));
  }
  sink.end();
  const summary = await finish();
  return { snapshotId: summary.snapshotId, bytes, sha256: hash.digest('hex'), dataAdded: summary.dataAddedPacked };
}
