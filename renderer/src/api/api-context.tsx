import { createContext, useContext, useState, type ReactNode } from 'react';
import { fail, type ApiClient } from '../contract';
import { wrapBridge } from './electron-client';
import { createWebClient } from './web-client';

/** Which face the renderer runs in: the Electron window (preload bridge) or the web console. */
export type Face = 'electron' | 'web';

export const detectFace = (): Face => (window.medai ? 'electron' : 'web');

interface ApiValue {
  client: ApiClient;
  face: Face;
}

const ApiContext = createContext<ApiValue | null>(null);

export function ApiProvider({ children, client }: { children: ReactNode; client?: ApiValue }) {
  const [value] = useState<ApiValue>(
    () => client ?? (window.medai ? { client: wrapBridge(window.medai), face: 'electron' } : { client: createWebClient(), face: 'web' }),
  );
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

function useApiValue(): ApiValue {
  const value = useContext(ApiContext);
  if (!value) throw fail('INTERNAL', {}, 'useApi() used outside <ApiProvider>');
  return value;
}

/** The contract's client: pages call the core only through this. */
export const useApi = (): ApiClient => useApiValue().client;
export const useFace = (): Face => useApiValue().face;
