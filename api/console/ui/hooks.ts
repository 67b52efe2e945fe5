import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from './api';

/** The current `#/path` of the page, updated on navigation. */
export function useRoute(): string {
  const read = () => location.hash.replace(/^#/, '') || '/';
  const [route, setRoute] = useState(read());
  useEffect(() => {
    const changed = () => setRoute(read());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  reload: () => void;
}

/**
 * Loads `load()` now and whenever `keys` change; with `everyMs`, again at that interval while
 * `keepPolling(data)` says so (live progress without a reload).
 */
export function useLoad<T>(
  load: () => Promise<T>,
  keys: unknown[],
  poll?: { everyMs: number; keepPolling?: (data: T) => boolean },
): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError }>({});
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      load().then(
        (data) => {
          if (!live) return;
          setState({ data });
          if (poll && (poll.keepPolling?.(data) ?? true)) timer = setTimeout(run, poll.everyMs);
        },
        (error: ApiError) => live && setState((s) => ({ ...s, error })),
      );
    };
    run();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [...keys, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}
