import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Logger } from '../logger';

const { temporal } = proto; // CommonJS package: no named ESM exports
const Status = temporal.api.enums.v1.WorkerDeploymentVersionStatus;

/** gRPC status codes the server answers with while a feature is off or a version not yet seen. */
const GRPC = { DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, FAILED_PRECONDITION: 9, UNAVAILABLE: 14 } as const;
const codeOf = (e: unknown) => (e as { code?: number }).code;

export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

/**
 * Whether the namespace has Worker Deployments (server ≥ 1.28 with them enabled). Servers
 * without them answer unimplemented, failed-precondition or permission-denied depending on the
 * version and settings: any answer but "unreachable" means no.
 */
export async function deploymentsSupported(client: Client, namespace: string): Promise<boolean> {
  try {
    await client.workflowService.listWorkerDeployments({ namespace, pageSize: 1 });
    return true;
  } catch (e) {
    const c = codeOf(e);
    if (c === GRPC.UNAVAILABLE || c === GRPC.DEADLINE_EXCEEDED) throw e;
    return false;
  }
}

/** The deployment's current build id (null: none yet). */
export async function currentBuildId(client: Client, namespace: string, deploymentName: string): Promise<string | null> {
  try {
    const d = await client.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    return d.workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId || null;
  } catch (e) {
    if (codeOf(e) === GRPC.NOT_FOUND) return null;
    throw e;
  }
}

/** A version that was current or ramping before is an old build restarting, not a new deploy. */
async function wasEverActive(client: Client, namespace: string, v: DeploymentVersion): Promise<boolean> {
  try {
    const r = await client.workflowService.describeWorkerDeploymentVersion({ namespace, deploymentVersion: v });
    const i = r.workerDeploymentVersionInfo;
    if (!i) return false;
    const seen = [Status.WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT, Status.WORKER_DEPLOYMENT_VERSION_STATUS_RAMPING, Status.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING, Status.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED];
    return seen.includes(i.status ?? Status.WORKER_DEPLOYMENT_VERSION_STATUS_UNSPECIFIED) || !!i.firstActivationTime || !!i.lastCurrentTime || !!i.currentSinceTime;
  } catch (e) {
    if (codeOf(e) === GRPC.NOT_FOUND) return false;
    throw e;
  }
}

/**
 * Rolls a new build out: once this worker's version has registered (its first poll), it becomes
 * the deployment's current version, so new runs start on it while runs pinned to older builds
 * stay on theirs (their workers must keep running until those runs finish). An old build that
 * restarts never takes the deployment back. Returns what it did.
 */
export async function rollOut(client: Client, o: DeploymentVersion & { namespace: string; identity: string; logger: Logger; timeoutMs?: number }): Promise<'current' | 'already current' | 'old build: not made current'> {
  const v = { deploymentName: o.deploymentName, buildId: o.buildId };
  const until = Date.now() + (o.timeoutMs ?? 60_000);
  for (;;) {
    try {
      if ((await currentBuildId(client, o.namespace, o.deploymentName)) === o.buildId) return 'already current';
      if (await wasEverActive(client, o.namespace, v)) return 'old build: not made current';
      await client.workflowService.setWorkerDeploymentCurrentVersion({ namespace: o.namespace, deploymentName: o.deploymentName, buildId: o.buildId, identity: o.identity });
      return 'current';
    } catch (e) {
      // The version exists only after the worker's first poll reaches the server.
      const c = codeOf(e);
      if ((c !== GRPC.NOT_FOUND && c !== GRPC.FAILED_PRECONDITION) || Date.now() > until) throw e;
      o.logger.debug({ err: (e as Error).message }, 'waiting for this version to register');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
