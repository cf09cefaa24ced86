/**
 * Requests for a contended lock, served first come, first served: the earliest request first and,
 * of requests made in the same step, the lowest-numbered host's (the tie rule of the VAAI locking
 * model, locking.ts). A binary heap, so taking the next request looks at log2(hosts) requests
 * instead of every host.
 */
export interface LockRequest {
  /** Step in which the host asked for the lock. */
  step: number;
  /** Index of the asking host. */
  host: number;
}

function servedBefore(a: LockRequest, b: LockRequest): boolean {
  return a.step < b.step || (a.step === b.step && a.host < b.host);
}

function swap(heap: LockRequest[], i: number, j: number): void {
  const held = heap[i];
  heap[i] = heap[j];
  heap[j] = held;
}

export class RequestQueue {
  /** Heap order: every request is served before the two at 2i + 1 and 2i + 2. */
  private readonly heap: LockRequest[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The requests still waiting, in no particular order. */
  pending(): readonly LockRequest[] {
    return this.heap;
  }

  push(request: LockRequest): void {
    const heap = this.heap;
    heap.push(request);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = Math.floor((i - 1) / 2);
      if (!servedBefore(heap[i], heap[parent])) break;
      swap(heap, i, parent);
      i = parent;
    }
  }

  /** The request to serve next, without taking it. */
  peek(): LockRequest | undefined {
    return this.heap[0];
  }

  /** Takes the request to serve next. */
  pop(): LockRequest | undefined {
    const heap = this.heap;
    const first = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return first;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let next = i;
      if (left < heap.length && servedBefore(heap[left], heap[next])) next = left;
      if (right < heap.length && servedBefore(heap[right], heap[next])) next = right;
      if (next === i) break;
      swap(heap, i, next);
      i = next;
    }
    return first;
  }
}
