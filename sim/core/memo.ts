/**
 * A bounded cache for pure functions of (short key, long text) — a parse by trust domain and bundle
 * body, by template name and text. Two levels instead of one concatenated key: a text read again from
 * a stored object is the same string, whose hash V8 keeps, so a hit costs no copy and no rehash.
 * When full it starts over (the working set of a run is small; this only bounds a long session).
 */
export class TextMemo<V> {
  private readonly byKey = new Map<string, Map<string, V>>();
  private size = 0;

  constructor(private readonly max: number) {}

  get(key: string, text: string, compute: () => V): V {
    let inner = this.byKey.get(key);
    const hit = inner?.get(text);
    if (hit !== undefined || inner?.has(text)) return hit as V;
    if (this.size >= this.max) {
      this.byKey.clear();
      this.size = 0;
      inner = undefined;
    }
    if (!inner) this.byKey.set(key, (inner = new Map()));
    const v = compute();
    inner.set(text, v);
    this.size++;
    return v;
  }
}
