/** The workstation's files, in memory: what `> cluster1-bundle.json` writes and `-f file` reads. */
export class VirtualFs {
  private readonly files = new Map<string, string>();
  private readonly modes = new Map<string, number>();
  /** Files carry an SELinux label (OpenShift): `ls -l` marks them with a `.` after the mode. */
  selinuxLabels = false;

  constructor(initial: Record<string, string> = {}) {
    for (const [p, c] of Object.entries(initial)) this.files.set(normalize(p), c);
  }

  read(path: string): string | undefined {
    const p = normalize(path);
    return p === '/dev/null' ? '' : this.files.get(p);
  }

  write(path: string, content: string, append = false): void {
    const p = normalize(path);
    if (p === '/dev/null') return;
    this.files.set(p, append ? (this.files.get(p) ?? '') + content : content);
  }

  exists(path: string): boolean {
    return this.files.has(normalize(path));
  }

  /** `unlink`: removes a file (nothing when absent). */
  remove(path: string): void {
    this.files.delete(normalize(path));
    this.modes.delete(normalize(path));
  }

  /** `chmod`: the permission bits (`0o600`) of an existing file. */
  chmod(path: string, mode: number): void {
    if (this.files.has(normalize(path))) this.modes.set(normalize(path), mode & 0o7777);
  }

  /** Permission bits of a file (0644 unless changed), undefined for a directory or nothing. */
  modeOf(path: string): number | undefined {
    return this.read(path) === undefined ? undefined : (this.modes.get(normalize(path)) ?? 0o644);
  }

  list(): string[] {
    return [...this.files.keys()].sort();
  }

  /** Names directly inside a directory (files and subdirectories), sorted. */
  listDir(dir: string): string[] {
    const d = normalize(dir);
    const base = d === '/' ? '/' : `${d}/`;
    const names = new Set<string>();
    for (const p of this.files.keys()) if (p.startsWith(base)) names.add(p.slice(base.length).split('/')[0]!);
    return [...names].filter(Boolean).sort();
  }

  /** Size in bytes of a file, undefined for a directory or nothing. */
  sizeOf(path: string): number | undefined {
    const c = this.read(path);
    return c === undefined ? undefined : new TextEncoder().encode(c).length;
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.files);
  }
}

export function resolvePath(cwd: string, path: string): string {
  return normalize(path.startsWith('/') ? path : `${cwd}/${path}`);
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}
