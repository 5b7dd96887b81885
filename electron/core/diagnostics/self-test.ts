import type { OperationBodies } from '../capability';
import { text } from '../contract';

/** A harmless operation that proves the progress path (core → journal → every face). */
export const diagnosticsOperations = (): OperationBodies<'diagnostics.selfTest'> => ({
  'diagnostics.selfTest': async (req, ctx) => {
    for (let i = 0; i < req.steps; i++) {
      ctx.progress({
        step: { id: `step-${i + 1}`, label: text(`自检步骤 ${i + 1}`, `Self-test step ${i + 1}`), index: i, count: req.steps },
        percent: Math.round((i / req.steps) * 100),
        log: `self-test step ${i + 1} of ${req.steps}`,
      });
      await new Promise((r) => setTimeout(r, req.stepMs));
    }
    ctx.progress({ percent: 100 });
    return { steps: req.steps };
  },
});
