import type { DockerProbe } from './test-infra.ts';

/**
 * Asks testcontainers itself whether a container runtime answers (it tries the same strategies
 * it would use to start containers: DOCKER_HOST, ~/.testcontainers.properties, the sockets).
 * Bounded, so a machine without Docker pays at most `timeoutMs` for the question.
 */
export async function probeDocker(timeoutMs = 2_000): Promise<DockerProbe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DockerProbe>((res) => {
    timer = setTimeout(() => res({ reachable: false, reason: `no answer from a container runtime within ${timeoutMs} ms` }), timeoutMs);
    timer.unref();
  });
  const ask = (async (): Promise<DockerProbe> => {
    try {
      // imported here, not at the top: the local path should not load dockerode and friends
      const { getContainerRuntimeClient } = await import('testcontainers');
      const { info } = await getContainerRuntimeClient();
      return { reachable: true, engine: `${info.containerRuntime.host} (${info.containerRuntime.operatingSystem})` };
    } catch (err) {
      return { reachable: false, reason: err instanceof Error ? err.message : String(err) };
    }
  })();
  try {
    return await Promise.race([ask, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
