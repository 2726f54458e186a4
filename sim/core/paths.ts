/** POSIX paths for the engine, which runs in the browser too (no node:path): scenario-relative files. */

/** The directory part of `a/b/c.yaml` (`a/b`), or '' for a bare name. */
export const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/** `rel` resolved against `dir`, `..` and `.` folded; absolute paths are returned as they are. */
export function joinRelative(dir: string, rel: string): string {
  if (rel.startsWith('/')) return rel;
  const parts = dir === '' ? [] : dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}
