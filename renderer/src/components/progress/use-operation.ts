import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context';
import { isTerminal } from '../../contract';
import { applyEvent, initialView, type OperationView } from './operation-view';

/**
 * Follows one operation by id: replays its journal, then streams new events until it ends.
 * Works the same for an operation started a second ago and for one found in the URL after
 * a reload, or started by the CLI in another process. Remount (key) to follow another id.
 */
export function useOperation(operationId: string): OperationView {
  const api = useApi();
  const [view, setView] = useState<OperationView>(() => initialView(operationId));

  useEffect(() => {
    let live = true;
    let detach: (() => void) | undefined;
    // Ask first: an unknown id gets its error, and an interrupted operation (its process
    // died) sends no final event, so its end state has to come from the summary.
    void api.call('operations.get', { id: operationId }).then((answer) => {
      if (!live) return;
      if (!answer.ok) {
        setView((v) => ({ ...v, phase: 'failed', error: answer.error }));
        return;
      }
      const snapshot = answer.result;
      if (snapshot.state !== 'running') {
        // Over already: the snapshot holds every event, nothing more will stream.
        setView((v) => {
          const folded = snapshot.events.reduce((acc, e) => applyEvent(acc, e), v);
          return snapshot.state === 'interrupted' ? { ...folded, phase: 'interrupted' } : folded;
        });
        return;
      }
      // Running: attaching replays the journal from the start, then streams (the snapshot is not used, so nothing doubles).
      detach = api.attach(operationId, (event) => {
        if (!live) return;
        setView((v) => applyEvent(v, event));
        if (isTerminal(event)) queueMicrotask(() => detach?.());
      });
    });
    return () => {
      live = false;
      detach?.();
    };
  }, [api, operationId]);

  return view;
}
