import { createServer, type AddressInfo } from "node:net";

/**
 * Asks the kernel for `count` distinct free loopback ports. They are free now, not reserved: the
 * caller starts its servers right away.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve(server));
      });
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** A distinct free loopback port for each name. */
export async function allocatePorts(names: readonly string[]): Promise<Record<string, number>> {
  const ports = await freePorts(names.length);
  return Object.fromEntries(names.map((name, i) => [name, ports[i]]));
}
