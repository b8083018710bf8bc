/** The Timer port on Node's timers, unref'd: a pending crawl never keeps the process alive. */
import type { Timer } from '../ports.js';

export const systemTimer: Timer = {
  set(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clear(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
