/** A tiny hash router: `#/inbox`, `#/mail/12`, `#/domain/example.org`, `#/compose?reply=12`. Hash routes never reach the Worker. */
import { reactive } from 'vue';

export interface Route {
  name: string;
  id: number | null;
  /** The second path segment as text (`#/domain/example.org`). */
  param: string | null;
  query: URLSearchParams;
}

function parse(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [name = '', id] = path.split('/');
  const numeric = id !== undefined && /^\d+$/.test(id) ? Number(id) : null;
  return { name: name || 'home', id: numeric, param: id === undefined ? null : decodeURIComponent(id), query: new URLSearchParams(search) };
}

export const route = reactive<Route>(parse(location.hash));

/** Asked before the route changes (a page with unsent work); false keeps the user where they are. */
let leaveGuard: (() => boolean) | null = null;
let shownHash = location.hash;
let restoring = false;
/** How far each route was scrolled when it was left: a list the user returns to opens where it was. */
const scrollPositions = new Map<string, number>();

window.addEventListener('hashchange', () => {
  // Our own step back to the page that refused to be left.
  if (restoring) {
    restoring = false;
    return;
  }
  if (leaveGuard && !leaveGuard()) {
    restoring = true;
    location.hash = shownHash;
    return;
  }
  scrollPositions.set(shownHash, window.scrollY);
  shownHash = location.hash;
  Object.assign(route, parse(location.hash));
});

/** Where the current route was scrolled when it was last left (0 if never). */
export function savedScroll(): number {
  return scrollPositions.get(location.hash) ?? 0;
}

/** Makes `guard` decide whether the user may leave the current page; the returned function lifts it. */
export function guardLeaving(guard: () => boolean): () => void {
  leaveGuard = guard;
  return () => {
    if (leaveGuard === guard) leaveGuard = null;
  };
}

/**
 * Asks the page being left (if it guards itself) whether it may go, before a change that is not a
 * route change (switching mailbox); once it agrees, it is not asked again by the navigation after.
 */
export function mayLeave(): boolean {
  if (leaveGuard && !leaveGuard()) return false;
  leaveGuard = null;
  return true;
}

export function go(path: string): void {
  location.hash = path.startsWith('#') ? path : `#/${path.replace(/^\//, '')}`;
}
