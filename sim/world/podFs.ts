/**
 * What a container sees on disk: its volume mounts over a writable container layer.
 * - configMap / secret volumes: the kubelet's snapshot taken when the pod started (read-only, keys as
 *   files; `items` select and rename keys; `subPath` mounts one key as a file);
 * - emptyDir: one directory per pod volume, shared by the pod's containers (how spiffe-helper hands
 *   `svid.pem` to the application container);
 * - hostPath: one directory tree per node, shared by every pod on that node (the agent's socket dir);
 * - csi: resolved by a driver registered for the node (the SPIFFE CSI driver exposes the agent's
 *   socket directory read-only).
 * Sockets are files whose content names the listener (`socket:<owner>`), so a client dialling a path
 * finds out who listens there. Simplified: no permissions other than read-only mounts, no symlinks.
 */
import { VirtualFs, resolvePath } from '../cli/shell/fs.ts';
import type { PodMounts } from '../kube/controllers/kubelet.ts';
import type { KubeObject } from '../kube/object.ts';

interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly subPath?: string;
  readonly readOnly?: boolean;
}

interface Volume {
  readonly name: string;
  readonly configMap?: { readonly name: string; readonly items?: readonly { key: string; path: string }[] };
  readonly secret?: { readonly secretName: string; readonly items?: readonly { key: string; path: string }[] };
  readonly emptyDir?: unknown;
  readonly hostPath?: { readonly path: string };
  readonly csi?: { readonly driver: string; readonly readOnly?: boolean };
}

/** A directory provided by a CSI driver on a node: files are read from `fs` under `root`. */
export interface CsiDirectory {
  readonly fs: VirtualFs;
  readonly root: string;
  readonly readOnly: boolean;
}

export type CsiResolver = (driver: string, nodeName: string, pod: KubeObject) => CsiDirectory | undefined;

type Source = { kind: 'dir'; fs: VirtualFs; root: string; readOnly: boolean } | { kind: 'files'; files: Record<string, string> };

export class ReadOnlyFileSystemError extends Error {}

function decodeSecretValue(b64: string): string {
  // Pods re-read the same Secrets (certs, bundles) in every variant: decode each text once.
  const hit = decodedSecrets.get(b64);
  if (hit !== undefined) return hit;
  let out: string;
  try {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    out = utf8.decode(bytes);
  } catch {
    out = b64;
  }
  if (decodedSecrets.size >= 4096) decodedSecrets.clear();
  decodedSecrets.set(b64, out);
  return out;
}
const utf8 = new TextDecoder();
const decodedSecrets = new Map<string, string>();

/** A VirtualFs view routing paths to mounts; the container's own writable layer for the rest. */
export class ContainerFs extends VirtualFs {
  constructor(
    private readonly mounts: readonly { mountPath: string; subPath?: string; source: Source }[],
    private readonly layer: VirtualFs,
  ) {
    super();
  }

  private route(path: string): { source: Source; rest: string; subPath?: string } | undefined {
    const p = resolvePath('/', path);
    let best: { source: Source; rest: string; subPath?: string } | undefined;
    let bestLen = -1;
    for (const m of this.mounts) {
      const mp = resolvePath('/', m.mountPath);
      if ((p === mp || p.startsWith(`${mp}/`)) && mp.length > bestLen) {
        best = { source: m.source, rest: p.slice(mp.length) || '/', ...(m.subPath !== undefined ? { subPath: m.subPath } : {}) };
        bestLen = mp.length;
      }
    }
    return best;
  }

  override read(path: string): string | undefined {
    const r = this.route(path);
    if (!r) return this.layer.read(path);
    if (r.source.kind === 'files') {
      const key = r.subPath ?? r.rest.replace(/^\//, '');
      return r.source.files[key];
    }
    return r.source.fs.read(resolvePath(r.source.root, `.${r.subPath ? `/${r.subPath}` : ''}${r.rest}`));
  }

  override write(path: string, content: string, append = false): void {
    const r = this.route(path);
    if (!r) return this.layer.write(path, content, append);
    if (r.source.kind === 'files' || r.source.readOnly) throw new ReadOnlyFileSystemError(`${path}: Read-only file system`);
    r.source.fs.write(resolvePath(r.source.root, `.${r.rest}`), content, append);
  }

  override chmod(path: string, mode: number): void {
    const r = this.route(path);
    if (!r) return this.layer.chmod(path, mode);
    if (r.source.kind === 'files' || r.source.readOnly) throw new ReadOnlyFileSystemError(`${path}: Read-only file system`);
    r.source.fs.chmod(resolvePath(r.source.root, `.${r.rest}`), mode);
  }

  override modeOf(path: string): number | undefined {
    const r = this.route(path);
    if (!r) return this.layer.modeOf(path);
    // configMap/secret volumes: the volume's defaultMode, 0644 (Simplified: defaultMode/items[].mode ignored).
    if (r.source.kind === 'files') return this.read(path) === undefined ? undefined : 0o644;
    return r.source.fs.modeOf(resolvePath(r.source.root, `.${r.subPath ? `/${r.subPath}` : ''}${r.rest}`));
  }

  override remove(path: string): void {
    const r = this.route(path);
    if (!r) return this.layer.remove(path);
    if (r.source.kind === 'files' || r.source.readOnly) throw new ReadOnlyFileSystemError(`${path}: Read-only file system`);
    r.source.fs.remove(resolvePath(r.source.root, `.${r.rest}`));
  }

  override exists(path: string): boolean {
    return this.read(path) !== undefined || this.listDir(path).length > 0;
  }

  /** Names directly inside a directory (files and subdirectories), sorted. */
  override listDir(dir: string): string[] {
    const d = resolvePath('/', dir);
    const names = new Set<string>();
    const collect = (paths: readonly string[], base: string) => {
      for (const p of paths) if (p.startsWith(base === '/' ? '/' : `${base}/`)) names.add(p.slice(base === '/' ? 1 : base.length + 1).split('/')[0]!);
    };
    const r = this.route(d);
    if (!r) collect(this.layer.list(), d);
    else if (r.source.kind === 'files') {
      if (!r.subPath && r.rest === '/') for (const k of Object.keys(r.source.files)) names.add(k);
    } else collect(r.source.fs.list(), resolvePath(r.source.root, `.${r.rest}`));
    for (const m of this.mounts) {
      const mp = resolvePath('/', m.mountPath);
      if (mp.startsWith(d === '/' ? '/' : `${d}/`) && mp !== d) names.add(mp.slice(d === '/' ? 1 : d.length + 1).split('/')[0]!);
    }
    return [...names].filter(Boolean).sort();
  }
}

/** Filesystems of every pod and node of one cluster. */
export class ClusterFilesystems {
  private readonly emptyDirs = new Map<string, VirtualFs>();
  private readonly hostPaths = new Map<string, VirtualFs>();
  private readonly layers = new Map<string, VirtualFs>();

  constructor(
    private readonly mountsOf: (pod: KubeObject) => PodMounts | undefined,
    private readonly csi: CsiResolver,
    /** OpenShift: container files carry SELinux labels. */
    private readonly selinux = false,
  ) {}

  /** The filesystem tree of a node (hostPath volumes live here). */
  node(nodeName: string): VirtualFs {
    let fs = this.hostPaths.get(nodeName);
    if (!fs) this.hostPaths.set(nodeName, (fs = new VirtualFs()));
    return fs;
  }

  private emptyDir(pod: KubeObject, volume: string): VirtualFs {
    const key = `${pod.metadata.uid}/${volume}`;
    let fs = this.emptyDirs.get(key);
    if (!fs) this.emptyDirs.set(key, (fs = new VirtualFs()));
    return fs;
  }

  /** What container `container` of `pod` sees; undefined when the container does not exist. */
  container(pod: KubeObject, container: string): ContainerFs | undefined {
    const spec = (pod.spec ?? {}) as { nodeName?: string; volumes?: Volume[]; containers?: { name: string; volumeMounts?: VolumeMount[] }[]; initContainers?: { name: string; volumeMounts?: VolumeMount[] }[] };
    const c = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((x) => x.name === container);
    if (!c) return undefined;
    const snapshot = this.mountsOf(pod);
    const volumes = new Map((spec.volumes ?? []).map((v) => [v.name, v]));
    const mounts: { mountPath: string; subPath?: string; source: Source }[] = [];
    for (const m of c.volumeMounts ?? []) {
      const v = volumes.get(m.name);
      if (!v) continue;
      let source: Source | undefined;
      if (v.configMap || v.secret) {
        const data = v.configMap ? snapshot?.configMaps[v.configMap.name] : snapshot?.secrets[v.secret!.secretName];
        const items = v.configMap?.items ?? v.secret?.items;
        const files: Record<string, string> = {};
        for (const [k, val] of Object.entries(data ?? {})) {
          const item = items?.find((i) => i.key === k);
          // A Secret's data is base64 in the API; the kubelet writes the decoded bytes (pkg/volume/secret).
          if (!items || item) files[item?.path ?? k] = v.secret ? decodeSecretValue(val) : val;
        }
        source = { kind: 'files', files };
      } else if (v.emptyDir !== undefined) source = { kind: 'dir', fs: this.emptyDir(pod, v.name), root: '/', readOnly: m.readOnly === true };
      else if (v.hostPath) source = { kind: 'dir', fs: this.node(spec.nodeName ?? ''), root: v.hostPath.path, readOnly: m.readOnly === true };
      else if (v.csi) {
        const dir = this.csi(v.csi.driver, spec.nodeName ?? '', pod);
        if (dir) source = { kind: 'dir', fs: dir.fs, root: dir.root, readOnly: dir.readOnly || m.readOnly === true || v.csi.readOnly === true };
      }
      if (source) mounts.push({ mountPath: m.mountPath, ...(m.subPath ? { subPath: m.subPath } : {}), source });
    }
    const layerKey = `${pod.metadata.uid}/${container}`;
    let layer = this.layers.get(layerKey);
    if (!layer) this.layers.set(layerKey, (layer = new VirtualFs()));
    const fs = new ContainerFs(mounts, layer);
    fs.selinuxLabels = this.selinux;
    return fs;
  }
}
