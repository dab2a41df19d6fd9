/**
 * Wake-ups from a service's cgroup instead of a timer: the kernel raises a
 * modify event on `cgroup.events` when its `populated` flips — when the last
 * process of the cgroup (and of the cgroups below it) exits — and Node's
 * `fs.watch` hears it through inotify. An event only says "look again": what
 * is left is read from the cgroup by the caller.
 *
 * A watch can be refused: the inotify limits (`fs.inotify.max_user_watches`,
 * `max_user_instances`) are per user, shared by all of that user's processes.
 * The caller then re-checks on a timer instead (docs/process-tracking.md).
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/**
 * Watches `<dir>/cgroup.events`. Throws when the watch cannot be made (ENOSPC:
 * no inotify watch left; EMFILE: no inotify instance; ENOENT: no such cgroup);
 * `onFailure` hears a watcher that breaks later, already closed. Returns the
 * function that closes it (idempotent).
 */
export function watchCgroupEvents(dir: string, onChange: () => void, onFailure: (error: Error) => void): () => void {
  let watcher: FSWatcher | undefined = watch(path.join(dir, 'cgroup.events'));
  const close = () => {
    watcher?.close();
    watcher = undefined;
  };
  watcher.on('change', () => {
    if (watcher) onChange();
  });
  watcher.on('error', (error) => {
    if (!watcher) return;
    close();
    onFailure(error);
  });
  return close;
}
