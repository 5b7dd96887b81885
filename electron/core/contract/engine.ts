import { z } from 'zod';

/** The Docker engine as the Dashboard and `medai status` show it. */
export const EngineStatus = z
  .object({
    socket: z.string(),
    serverVersion: z.string(),
    apiVersion: z.string(),
    storageDriver: z.string(),
    containersRunning: z.number().int().nonnegative(),
    containersTotal: z.number().int().nonnegative(),
    operatingSystem: z.string(),
    kernelVersion: z.string(),
  })
  .strict();
export type EngineStatus = z.infer<typeof EngineStatus>;
