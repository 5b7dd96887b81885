import { HOST_CHECK_IDS, type HostCheckId } from '../contract';
import type { HostCheck } from './check-kit';
import { AIRGAP_CHECKS } from './checks/airgap-checks';
import { DISK_CHECKS } from './checks/disk-checks';
import { DOCKER_CHECKS } from './checks/docker-checks';
import { GPU_CHECKS } from './checks/gpu-checks';
import { SYSTEM_CHECKS } from './checks/system-checks';

/** Every check, in report order (system → disk → docker → gpu → air-gap). */
export const HOST_CHECKS: readonly HostCheck[] = [...SYSTEM_CHECKS, ...DISK_CHECKS, ...DOCKER_CHECKS, ...GPU_CHECKS, ...AIRGAP_CHECKS];

const byId = new Map(HOST_CHECKS.map((c) => [c.id, c]));
export const checkById = (id: HostCheckId): HostCheck => byId.get(id)!;

// The contract's id list and the registry must agree; a mismatch is a programming error caught at load (and by the unit tests).
const missing = HOST_CHECK_IDS.filter((id) => !byId.has(id));
if (missing.length || byId.size !== HOST_CHECK_IDS.length) {
  throw new TypeError(`host check registry out of step with HOST_CHECK_IDS: missing ${missing.join(', ')}`);
}
