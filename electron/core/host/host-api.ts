import { openBundle } from '../bundle/bundle-reader';
import { defaultTrustDir, loadTrustedKeys } from '../bundle/keys';
import type { CallHandlers, OperationBodies } from '../capability';
import type { CoreDeps } from '../core';
import { CheckRunStore } from './check-run-store';
import { realHostProbes } from './host-probes';
import { renderReportHtml, reportFileName } from './report-html';
import { readRequirements } from './requirements';
import { runHostCheck } from './run-host-check';

type HostDeps = CoreDeps;

export const hostOperations = (deps: HostDeps): OperationBodies<'host.check'> => ({
  'host.check': async (req, ctx) => {
    // A bundle named before import sizes the checks; its signature is verified like any bundle's.
    let bundleFile;
    if (req.bundle) {
      const opened = await openBundle(req.bundle, loadTrustedKeys(deps.bundle?.trustDir ?? defaultTrustDir()));
      opened.close();
      bundleFile = { manifest: opened.manifest };
    }
    const report = await runHostCheck({
      request: req,
      clock: deps.clock,
      operationId: ctx.id,
      progress: ctx.progress,
      collect: {
        docker: deps.docker,
        dockerEndpoint: deps.dockerEndpoint,
        dataDir: deps.dataDir,
        probes: deps.hostProbes ?? realHostProbes(),
        requirements: readRequirements(deps.db, req.ports, bundleFile),
      },
    });
    new CheckRunStore(deps.db).save(report);
    return report;
  },
});

export const hostCalls = (deps: CoreDeps): CallHandlers<'host.checkRuns' | 'host.checkRun' | 'host.checkReportHtml'> => {
  const store = new CheckRunStore(deps.db);
  return {
    'host.checkRuns': (req) => store.list(req.limit),
    'host.checkRun': (req) => store.get(req.runId),
    'host.checkReportHtml': (req) => {
      const report = store.get(req.runId);
      return { fileName: reportFileName(report, 'html'), html: renderReportHtml(report, req.lang) };
    },
  };
};
