/** What happened when the queue dropped its consumed prefix (requirement 5). */
export interface Compaction {
  readonly oldSize: number;
  readonly newSize: number;
}

/**
 * A FIFO queue backed by an array and a head index. When the head index exceeds `threshold`
 * **and** half the array length, the consumed prefix is dropped, so a long walk does not keep
 * every visited folder in memory and never pays O(n) per dequeue.
 */
export class WalkQueue<T> {
  private items: T[] = [];
  private head = 0;

  constructor(
    private readonly threshold: number,
    private readonly onCompact: (compaction: Compaction) => void,
  ) {}

  /** Number of items waiting. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds items at the tail. */
  push(...items: readonly T[]): void {
    this.items.push(...items);
  }

  /** Takes the item at the head, compacting when the rule says so. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head] as T;
    this.head += 1;
    if (this.head > this.threshold && this.head > this.items.length / 2) {
      const oldSize = this.items.length;
      this.items = this.items.slice(this.head);
      this.head = 0;
      this.onCompact({ oldSize, newSize: this.items.length });
    }
    return item;
  }
}
