import { existsSync } from 'node:fs';

export type ProviderChoice = 'auto' | 'cuda' | 'cpu';

/** A GPU is usable when the NVIDIA device nodes are present (the container runtime maps them in). */
export function gpuPresent(devRoot = '/dev'): boolean {
  return existsSync(`${devRoot}/nvidiactl`) && existsSync(`${devRoot}/nvidia0`);
}

/** Providers to try in order: CUDA first when asked for or when a GPU is present, CPU always last. */
export function providerPlan(choice: ProviderChoice, hasGpu: boolean): Array<'cuda' | 'cpu'> {
  if (choice === 'cpu') return ['cpu'];
  if (choice === 'cuda' || hasGpu) return ['cuda', 'cpu'];
  return ['cpu'];
}
