/**
 * An ordered timer queue: earliest due time first, ties broken by insertion order, so a run with
 * the same inputs fires its timers in the same order every time.
 */
export interface Timer {
  readonly id: number;
  readonly due: number;
  readonly label: string;
  readonly fn: () => void;
}

export class TimerQueue {
  private heap: Timer[] = [];
  private cancelled = new Set<number>();
  private nextId = 1;

  get size(): number {
    return this.heap.length - this.cancelled.size;
  }

  push(due: number, fn: () => void, label = ''): number {
    const timer: Timer = { id: this.nextId++, due, label, fn };
    this.heap.push(timer);
    this.siftUp(this.heap.length - 1);
    return timer.id;
  }

  cancel(id: number): void {
    if (this.heap.some((t) => t.id === id)) this.cancelled.add(id);
  }

  /** The next live timer without removing it. */
  peek(): Timer | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  pop(): Timer | undefined {
    this.dropCancelled();
    return this.removeTop();
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.id)) {
      this.cancelled.delete(this.heap[0]!.id);
      this.removeTop();
    }
  }

  private removeTop(): Timer | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last !== undefined) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private before(a: Timer, b: Timer): boolean {
    return a.due < b.due || (a.due === b.due && a.id < b.id);
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) return;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < h.length && this.before(h[l]!, h[best]!)) best = l;
      if (r < h.length && this.before(h[r]!, h[best]!)) best = r;
      if (best === i) return;
      [h[i], h[best]] = [h[best]!, h[i]!];
      i = best;
    }
  }
}
