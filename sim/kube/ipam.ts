/**
 * Address management for one cluster: the service CIDR (ClusterIPs, drawn at random like the
 * apiserver's allocator, pkg/registry/core/service/ipallocator, with the first address reserved for
 * the `kubernetes` service), the cluster pod CIDR cut into one /24 per node in node order
 * (pkg/controller/nodeipam, range allocator), pod IPs drawn from the node's range (the CNI's IPAM),
 * a pool for LoadBalancer ingress addresses (MetalLB-like), node InternalIPs and NodePorts.
 * All draws come from the injected Rng, so addresses are stable per seed and order of requests.
 * Simplified: IPv4 only.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import type { Rng } from '../core/rng.ts';

export interface Cidr {
  readonly base: number;
  readonly prefix: number;
  readonly size: number;
}

export function parseIPv4(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function formatIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(text: string): Cidr | undefined {
  const [ip, bits] = text.split('/');
  const base = ip === undefined ? undefined : parseIPv4(ip);
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), prefix, size };
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const n = parseIPv4(ip);
  return n !== undefined && n >= c.base && n < c.base + c.size;
}

export const formatCidr = (c: Cidr): string => `${formatIPv4(c.base)}/${c.prefix}`;

export type IpamError = SimError<'kube/ip-exhausted' | 'kube/ip-invalid' | 'kube/ip-allocated'>;

/** A pool of addresses in a CIDR: random draws (without the network and broadcast addresses and
 * any reserved ones), explicit claims, releases. */
export class IpPool {
  private readonly used = new Set<number>();
  readonly cidr: Cidr;

  constructor(
    cidr: string,
    private readonly rng: Rng,
    private readonly opts: { reserveFirst?: number; sequential?: boolean } = {},
  ) {
    const c = parseCidr(cidr);
    if (!c) throw new RangeError(`IpPool: bad CIDR ${cidr}`);
    this.cidr = c;
  }

  private get first(): number {
    return this.cidr.base + 1 + (this.opts.reserveFirst ?? 0);
  }

  private get last(): number {
    return this.cidr.base + this.cidr.size - 2;
  }

  get free(): number {
    return Math.max(0, this.last - this.first + 1 - this.used.size);
  }

  allocate(): Result<string, IpamError> {
    const span = this.last - this.first + 1;
    if (span <= 0 || this.free === 0) return err(simError('kube/ip-exhausted', `range is full (${formatCidr(this.cidr)})`, { cidr: formatCidr(this.cidr) }));
    if (this.opts.sequential) {
      for (let n = this.first; n <= this.last; n++)
        if (!this.used.has(n)) {
          this.used.add(n);
          return ok(formatIPv4(n));
        }
    }
    // Random start, then linear probe (the apiserver's bitmap allocator does the same).
    const start = this.rng.int(span);
    for (let i = 0; i < span; i++) {
      const n = this.first + ((start + i) % span);
      if (!this.used.has(n)) {
        this.used.add(n);
        return ok(formatIPv4(n));
      }
    }
    return err(simError('kube/ip-exhausted', `range is full (${formatCidr(this.cidr)})`));
  }

  /** Claims a given address (a user-set clusterIP); reserved addresses may be claimed explicitly. */
  claim(ip: string): Result<string, IpamError> {
    const n = parseIPv4(ip);
    if (n === undefined || n <= this.cidr.base || n > this.last)
      return err(simError('kube/ip-invalid', `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${formatCidr(this.cidr)}`, { ip }));
    if (this.used.has(n)) return err(simError('kube/ip-allocated', `failed to allocate IP ${ip}: provided IP is already allocated`, { ip }));
    this.used.add(n);
    return ok(ip);
  }

  release(ip: string): void {
    const n = parseIPv4(ip);
    if (n !== undefined) this.used.delete(n);
  }

  has(ip: string): boolean {
    const n = parseIPv4(ip);
    return n !== undefined && this.used.has(n);
  }
}

/** Cuts a large CIDR into equal subnets in order (node podCIDRs). */
export class SubnetAllocator {
  private next = 0;
  private readonly parent: Cidr;
  private readonly released: number[] = [];

  constructor(
    cidr: string,
    private readonly subnetPrefix: number,
  ) {
    const c = parseCidr(cidr);
    if (!c || subnetPrefix < c.prefix || subnetPrefix > 32) throw new RangeError(`SubnetAllocator: cannot cut ${cidr} into /${subnetPrefix}`);
    this.parent = c;
  }

  allocate(): Result<string, IpamError> {
    const size = 2 ** (32 - this.subnetPrefix);
    const count = this.parent.size / size;
    const idx = this.released.length > 0 ? this.released.shift()! : this.next < count ? this.next++ : -1;
    if (idx < 0) return err(simError('kube/ip-exhausted', `failed to allocate cidr from cluster cidr ${formatCidr(this.parent)}: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range`));
    return ok(`${formatIPv4(this.parent.base + idx * size)}/${this.subnetPrefix}`);
  }

  release(cidr: string): void {
    const c = parseCidr(cidr);
    if (!c) return;
    const idx = (c.base - this.parent.base) / c.size;
    if (Number.isInteger(idx) && idx >= 0 && !this.released.includes(idx)) this.released.push(idx);
    this.released.sort((a, b) => a - b);
  }
}

export interface ClusterIpamOptions {
  /** Default 10.96.0.0/12 (kubeadm). */
  readonly serviceCidr?: string;
  /** Default 10.244.0.0/16 (kind, flannel). */
  readonly podCidr?: string;
  /** Per-node pod range prefix; default 24. */
  readonly nodeCidrPrefix?: number;
  /** Node InternalIPs, handed out in order from .2; default 172.18.0.0/16 (kind's docker network). */
  readonly nodeNetwork?: string;
  /** LoadBalancer ingress addresses; when absent, LoadBalancer services stay `<pending>`. */
  readonly loadBalancerCidr?: string;
}

/** A cluster's address plan. One instance per cluster, fed by the cluster's rng. */
export class ClusterIpam {
  readonly services: IpPool;
  readonly nodeSubnets: SubnetAllocator;
  readonly nodeAddresses: IpPool;
  readonly loadBalancers?: IpPool;
  private readonly podPools = new Map<string, IpPool>();
  private readonly nodePorts = new Set<number>();

  constructor(
    private readonly rng: Rng,
    readonly options: ClusterIpamOptions = {},
  ) {
    // The first service address is the `kubernetes` service's (claimed explicitly by bootstrap).
    this.services = new IpPool(options.serviceCidr ?? '10.96.0.0/12', rng.fork('service-ips'), { reserveFirst: 1 });
    this.nodeSubnets = new SubnetAllocator(options.podCidr ?? '10.244.0.0/16', options.nodeCidrPrefix ?? 24);
    this.nodeAddresses = new IpPool(options.nodeNetwork ?? '172.18.0.0/16', rng.fork('node-ips'), { reserveFirst: 1, sequential: true });
    if (options.loadBalancerCidr) this.loadBalancers = new IpPool(options.loadBalancerCidr, rng.fork('lb-ips'), { sequential: true });
  }

  /** The first address of the service range (10.96.0.1): the `kubernetes` service. */
  get kubernetesServiceIP(): string {
    return formatIPv4(this.services.cidr.base + 1);
  }

  /** Pod IPs for a node's podCIDR (its .1 is the bridge/gateway). */
  podPool(podCidr: string): IpPool {
    let p = this.podPools.get(podCidr);
    if (!p) {
      p = new IpPool(podCidr, this.rng.fork(`pod-ips/${podCidr}`), { reserveFirst: 1 });
      this.podPools.set(podCidr, p);
    }
    return p;
  }

  /** A NodePort in 30000-32767, drawn at random like the apiserver's port allocator. */
  allocateNodePort(): Result<number, IpamError> {
    const span = 32768 - 30000;
    const start = this.rng.int(span);
    for (let i = 0; i < span; i++) {
      const p = 30000 + ((start + i) % span);
      if (!this.nodePorts.has(p)) {
        this.nodePorts.add(p);
        return ok(p);
      }
    }
    return err(simError('kube/ip-exhausted', 'range is full (30000-32767)'));
  }

  claimNodePort(port: number): Result<number, IpamError> {
    if (port < 30000 || port > 32767) return err(simError('kube/ip-invalid', `provided port is not in the valid range. The range of valid ports is 30000-32767`));
    if (this.nodePorts.has(port)) return err(simError('kube/ip-allocated', 'provided port is already allocated'));
    this.nodePorts.add(port);
    return ok(port);
  }

  releaseNodePort(port: number): void {
    this.nodePorts.delete(port);
  }
}
