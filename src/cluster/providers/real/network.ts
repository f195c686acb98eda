import { networkInterfaces } from "node:os";
import { readdirSync, readFileSync } from "node:fs";
import { runSystemCommand } from "../../command.ts";
import { RealNodeUnavailable } from "../../errors.ts";
import { realNodeRefusal } from "./preconditions.ts";

/**
 * A real node's network: a network namespace of its own, joined to the host by a veth pair. The host
 * end carries the API server's address (so the node and its pods reach it without leaving the machine),
 * the namespace end is the node's IP, and the host routes the node's pod subnet to it (for the API
 * server's proxy and the kubelet's port-forward). Everything else (bridge, iptables, ip_forward) lives
 * in the namespace and goes with it.
 */
export interface NodeNetwork {
  /** `ip netns` name. */
  netns: string;
  /** The host end of the veth pair (the namespace end is renamed `eth0`). */
  hostInterface: string;
  /** Host end: the API server binds here. */
  hostIp: string;
  /** Namespace end: the node's InternalIP. */
  nodeIp: string;
  /** The node's pod subnet (CNI bridge + host-local), routed from the host to `nodeIp`. */
  podCidr: string;
  /** The bridge's address in `podCidr`: the pods' gateway. */
  podGateway: string;
}

/** The /24 of each node's link (10.250.K.0) and pods (10.251.K.0): K is free on this host. */
const linkPrefix = "10.250";
const podPrefix = "10.251";

/** What the host already uses, so that a node's subnets and interface name are ones nobody has. */
export interface HostNetwork {
  /** The first three octets of each host address and routed destination, e.g. `10.250.1`. */
  subnets: Set<string>;
  /** The host's interface names. */
  interfaces: Set<string>;
}

/** Host addresses, routed destinations (from /proc/net/route) and interfaces (from sysfs). */
export function readHostNetwork(): HostNetwork {
  const subnets = new Set<string>();
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === "IPv4") subnets.add(address.address.split(".").slice(0, 3).join("."));
    }
  }
  try {
    for (const line of readFileSync("/proc/net/route", "utf8").split("\n").slice(1)) {
      const hex = line.split("\t")[1];
      if (!hex || hex === "00000000") continue;
      const bytes = Buffer.from(hex, "hex").reverse();
      subnets.add(`${bytes[0]}.${bytes[1]}.${bytes[2]}`);
    }
  } catch {
    // No /proc: the real provider refuses to start anyway.
  }
  let interfaces = new Set<string>();
  try {
    interfaces = new Set(readdirSync("/sys/class/net"));
  } catch {
    // No sysfs: the real provider refuses to start anyway.
  }
  return { subnets, interfaces };
}

/**
 * Chooses a free link and pod subnet for each of the `count` real nodes of cluster `clusterName`, each
 * with a K of its own; refuses (exit 2) when the host leaves fewer than `count` free.
 */
export function chooseNodeNetworks(
  clusterName: string,
  count: number,
  host: HostNetwork = readHostNetwork(),
): NodeNetwork[] {
  const networks: NodeNetwork[] = [];
  for (let k = 1; k < 255 && networks.length < count; k += 1) {
    if (host.subnets.has(`${linkPrefix}.${k}`) || host.subnets.has(`${podPrefix}.${k}`)) continue;
    // Another cluster's node may hold the interface before it has its address.
    if (host.interfaces.has(`kubeproof${k}`)) continue;
    networks.push({
      netns: `kubeproof-${clusterName}-${networks.length}`,
      hostInterface: `kubeproof${k}`,
      hostIp: `${linkPrefix}.${k}.1`,
      nodeIp: `${linkPrefix}.${k}.2`,
      podCidr: `${podPrefix}.${k}.0/24`,
      podGateway: `${podPrefix}.${k}.1`,
    });
  }
  if (networks.length < count) {
    throw new RealNodeUnavailable(
      realNodeRefusal(
        `${count} real node(s) need as many free subnet pairs ${linkPrefix}.K.0/24 + ${podPrefix}.K.0/24 ` +
          `(K in 1-254), and this host's addresses, routes and kubeproofK interfaces leave ${networks.length}`,
      ),
    );
  }
  return networks;
}

async function ip(args: string[]): Promise<void> {
  await runSystemCommand("ip", args);
}

/** Runs a command inside the node's network namespace. */
export async function inNetns(net: NodeNetwork, command: string, args: string[]): Promise<string> {
  return (await runSystemCommand("ip", ["netns", "exec", net.netns, command, ...args])).stdout;
}

/** Creates the namespace, the veth pair with both addresses, the routes each way, and lo. */
export async function createNetwork(net: NodeNetwork): Promise<void> {
  const peer = `${net.hostInterface}n`.slice(-15);
  await ip(["netns", "add", net.netns]);
  await ip(["link", "add", net.hostInterface, "type", "veth", "peer", "name", peer]);
  await ip(["link", "set", peer, "netns", net.netns]);
  await ip(["addr", "add", `${net.hostIp}/24`, "dev", net.hostInterface]);
  await ip(["link", "set", net.hostInterface, "up"]);
  await ip(["-n", net.netns, "link", "set", peer, "name", "eth0"]);
  await ip(["-n", net.netns, "addr", "add", `${net.nodeIp}/24`, "dev", "eth0"]);
  await ip(["-n", net.netns, "link", "set", "eth0", "up"]);
  await ip(["-n", net.netns, "link", "set", "lo", "up"]);
  // No default route: the namespace reaches the host end (the API server) on its link and nothing
  // beyond, even on a host that forwards packets; a pull from a registry fails at once, unreachable.
  // The route goes away with the interface.
  await ip(["route", "add", net.podCidr, "via", net.nodeIp, "dev", net.hostInterface]);
  // Pods reach the API server through the namespace: it routes between the bridge and eth0.
  await inNetns(net, "sysctl", ["-q", "-w", "net.ipv4.ip_forward=1"]);
}

/**
 * Joins two nodes' namespaces with a veth pair of their own (`node<J>` in node I's namespace and
 * `node<I>` in node J's), each end carrying its node's IP, with routes to the other node's IP and pod
 * subnet: pods on different nodes reach each other, and Services whatever node their endpoints are on,
 * without the host forwarding anything. The pair goes with either namespace.
 */
export async function linkNodes(
  a: { index: number; net: NodeNetwork },
  b: { index: number; net: NodeNetwork },
): Promise<void> {
  const inA = `node${b.index}`;
  const inB = `node${a.index}`;
  await ip([
    "-n",
    a.net.netns,
    "link",
    "add",
    inA,
    "type",
    "veth",
    "peer",
    "name",
    inB,
    "netns",
    b.net.netns,
  ]);
  for (const [self, peer, dev] of [
    [a.net, b.net, inA],
    [b.net, a.net, inB],
  ] as const) {
    await ip(["-n", self.netns, "addr", "add", `${self.nodeIp}/32`, "dev", dev]);
    await ip(["-n", self.netns, "link", "set", dev, "up"]);
    await ip(["-n", self.netns, "route", "add", `${peer.nodeIp}/32`, "dev", dev]);
    await ip(["-n", self.netns, "route", "add", peer.podCidr, "via", peer.nodeIp, "dev", dev]);
  }
}

/**
 * A node other than the first reaches the API server, which listens on the first node's host end,
 * through its own host end: the host delivers a packet for one of its own addresses locally, so
 * nothing is forwarded.
 */
export async function routeToApiServer(net: NodeNetwork, apiAddress: string): Promise<void> {
  if (apiAddress === net.hostIp) return;
  await ip(["-n", net.netns, "route", "add", `${apiAddress}/32`, "via", net.hostIp, "dev", "eth0"]);
}

/**
 * Deletes the veth pair (and so its route) and the namespace; nothing happens for what is gone. The
 * interface goes only when it is this node's: its peer is in the node's namespace, or still on the
 * host (a start that died half-way). A start that failed because another cluster's node took the
 * name first must not delete that node's interface.
 */
export async function deleteNetwork(net: Pick<NodeNetwork, "netns" | "hostInterface">): Promise<void> {
  const links = await runSystemCommand("ip", ["-o", "link", "show", "dev", net.hostInterface], {
    allowFailure: true,
  });
  const peerNetns = /link-netns (\S+)/.exec(links.stdout)?.[1];
  if (links.code === 0 && (peerNetns === undefined || peerNetns === net.netns)) {
    await ip(["link", "del", net.hostInterface]);
  }
  const namespaces = await runSystemCommand("ip", ["netns", "list"]);
  if (namespaces.stdout.split("\n").some((line) => line.split(" ")[0] === net.netns)) {
    await ip(["netns", "del", net.netns]);
  }
}
