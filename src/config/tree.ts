/**
 * Walking a parsed config (plain objects, arrays and scalars) leaf by leaf,
 * with its own stack rather than recursion, so a file nested as deep as YAML
 * allows costs memory, never the call stack (docs/security.md#input-bounds).
 * Paths are linked back to their parent and spelt out only when asked for, so
 * many leaves deep down do not cost a copy of a long path each.
 */

/** Where a value sits: its key (or index), its parent's place (the root has none) and how many keys deep it is. */
export interface Place {
  readonly key: string | number;
  readonly parent: Place | undefined;
  readonly depth: number;
}

/** The keys from the root to `place`: `['services', 'api', 'command', 0]`. */
export function pathOf(place: Place | undefined): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let at = place; at !== undefined; at = at.parent) keys.push(at.key);
  return keys.reverse();
}

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container =>
  Array.isArray(value) || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype);

// A key may be `__proto__` (the names check reports it): kept an own property, never the prototype.
function setOwn(target: Container, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of `tree` with every leaf (anything but a plain object or an array)
 * replaced by `leaf(value, place)`; the input is left as it is. A subtree
 * shared by two places (a YAML alias) is copied once, at the first place met.
 */
export function mapLeaves(tree: unknown, leaf: (value: unknown, place: Place | undefined) => unknown): unknown {
  if (!isContainer(tree)) return leaf(tree, undefined);
  const copies = new Map<object, Container>();
  // Depth first, in document order: leaves are met in the order a reader meets them.
  const open = (source: Container, place: Place | undefined) => {
    const target: Container = Array.isArray(source) ? [] : {};
    copies.set(source, target);
    const keys: (string | number)[] = Array.isArray(source) ? source.map((_, index) => index) : Object.keys(source);
    return { source, target, keys, next: 0, place };
  };
  const root = open(tree, undefined);
  const stack = [root];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next === frame.keys.length) {
      stack.pop();
      continue;
    }
    const key = frame.keys[frame.next++];
    const value: unknown = (frame.source as Record<string | number, unknown>)[key];
    const place: Place = { key, parent: frame.place, depth: (frame.place?.depth ?? 0) + 1 };
    if (!isContainer(value)) {
      setOwn(frame.target, key, leaf(value, place));
      continue;
    }
    const copied = copies.get(value);
    if (copied) {
      setOwn(frame.target, key, copied);
      continue;
    }
    const child = open(value, place);
    setOwn(frame.target, key, child.target);
    stack.push(child);
  }
  return root.target;
}
