/**
 * Who a service's processes run as (`user:`/`group:`, docs/real-services.md):
 * the spawn options that drop tierdown's root to the service's ids, and the
 * login variables a program expects to match them. Node (libuv) clears the
 * supplementary groups when it switches ids, so the process has only its gid.
 */
import type { RunAs } from '../../config/types.js';

export interface IdentityOptions {
  uid?: number;
  gid?: number;
  /** HOME/USER/LOGNAME of the user, under the service's own env (which wins). */
  env: Record<string, string>;
}

export function identityOptions(runAs: RunAs | undefined): IdentityOptions {
  if (!runAs) return { env: {} };
  const env: Record<string, string> = {};
  if (runAs.user) Object.assign(env, { USER: runAs.user, LOGNAME: runAs.user });
  if (runAs.home) env.HOME = runAs.home;
  return { uid: runAs.uid, gid: runAs.gid, env };
}
