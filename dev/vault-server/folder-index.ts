/**
 * One-level listing of slash-separated keys, kept up to date on every add and remove so a LIST
 * costs only the size of the folder it lists (no scan of the whole mount).
 */
export class FolderIndex {
  /** Folder ('' or 'a/b/') → child name ('key' or 'sub/') → how many keys live under it. */
  private readonly folders = new Map<string, Map<string, number>>();
  /** Sorted children per folder, rebuilt lazily after a change to that folder. */
  private readonly sorted = new Map<string, string[]>();

  /** Records a new key (call once per key, when it first appears). */
  add(key: string): void {
    for (const [folder, child] of steps(key)) {
      let children = this.folders.get(folder);
      if (children === undefined) {
        children = new Map();
        this.folders.set(folder, children);
      }
      const count = children.get(child) ?? 0;
      children.set(child, count + 1);
      if (count === 0) this.sorted.delete(folder);
    }
  }

  /** Forgets a key; folders with nothing left under them disappear from their parent. */
  remove(key: string): void {
    for (const [folder, child] of steps(key)) {
      const children = this.folders.get(folder);
      const count = children?.get(child);
      if (children === undefined || count === undefined) continue;
      if (count > 1) {
        children.set(child, count - 1);
        continue;
      }
      children.delete(child);
      this.sorted.delete(folder);
      if (children.size === 0) this.folders.delete(folder);
    }
  }

  /** Sorted children of `folder` ('' or 'a/b/'); undefined when the folder has nothing. */
  list(folder: string): readonly string[] | undefined {
    const cached = this.sorted.get(folder);
    if (cached !== undefined) return cached;
    const children = this.folders.get(folder);
    if (children === undefined || children.size === 0) return undefined;
    const keys = [...children.keys()].sort(compareCodeUnits);
    this.sorted.set(folder, keys);
    return keys;
  }

  /** Drops everything. */
  clear(): void {
    this.folders.clear();
    this.sorted.clear();
  }
}

/** Vault sorts keys byte-wise (Go's sort.Strings), not by locale. */
function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** `a/b/c` → [['', 'a/'], ['a/', 'b/'], ['a/b/', 'c']]. */
function steps(key: string): [string, string][] {
  const parts = key.split('/');
  const result: [string, string][] = [];
  let folder = '';
  parts.forEach((part, index) => {
    const last = index === parts.length - 1;
    const child = last ? part : `${part}/`;
    result.push([folder, child]);
    folder += child;
  });
  return result;
}
