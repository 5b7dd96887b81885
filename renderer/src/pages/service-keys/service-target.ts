import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useApi } from '../../api/api-context';

/** Where the manager finds the inference service: its HTTP address and its container. */
export interface ServiceTarget {
  url: string;
  container: string;
}

const SERVICE = 'medical-ai-service';

/**
 * The service of the installed stack: its published address and port come from the stack
 * record, its container from the stack's running services. `?serviceUrl=` and
 * `?serviceContainer=` override either (a service run outside the stack, or tests), as
 * `?stack=` picks another stack than `medai`. Undefined while the stack record is read.
 */
export function useServiceTarget(): ServiceTarget | undefined {
  const api = useApi();
  const [params] = useSearchParams();
  const stack = params.get('stack') ?? 'medai';
  const urlOverride = params.get('serviceUrl');
  const containerOverride = params.get('serviceContainer');
  const [fromStack, setFromStack] = useState<ServiceTarget | undefined>();
  // Memoized: pages poll with the target in their callbacks' dependencies, so it must keep its identity.
  const overridden = useMemo(() => (urlOverride && containerOverride ? { url: urlOverride, container: containerOverride } : undefined), [urlOverride, containerOverride]);

  useEffect(() => {
    if (overridden) return;
    let live = true;
    void api.call('stack.status', { stack }).then((answer) => {
      if (!live) return;
      const config = answer.ok ? answer.result.config : null;
      // 0.0.0.0 publishes on every address; the manager runs on the same host, so loopback reaches it.
      const host = !config || config.bindAddress === '0.0.0.0' ? '127.0.0.1' : config.bindAddress;
      const running = answer.ok ? answer.result.services.find((s) => s.service === SERVICE)?.containerId : null;
      setFromStack({
        url: urlOverride ?? `http://${host}:${config?.httpPort ?? 8000}`,
        container: containerOverride ?? running ?? `${stack}-${SERVICE}-1`,
      });
    });
    return () => {
      live = false;
    };
  }, [api, stack, urlOverride, containerOverride, overridden]);
  const target = overridden ?? fromStack;
  return target;
}
