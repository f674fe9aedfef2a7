/**
 * Polling with backoff: every `base` ms while something changes, doubling up to `max` while nothing
 * does, paused while the tab is hidden. `kick()` resets to the fast rate (after a user action).
 */
export function startPolling(tick: () => Promise<boolean>, opts = { base: 3000, max: 60000 }) {
  let delay = opts.base;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(run, delay);
  };
  const run = async () => {
    if (document.visibilityState === 'hidden') return schedule();
    let changed = false;
    try {
      changed = await tick();
    } catch {
      // A failed poll is retried on the slower schedule.
    }
    delay = changed ? opts.base : Math.min(delay * 2, opts.max);
    schedule();
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') kick();
  };
  const kick = () => {
    delay = opts.base;
    schedule();
  };
  document.addEventListener('visibilitychange', onVisible);
  schedule();
  return {
    kick,
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
