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

window.addEventListener('hashchange', () => Object.assign(route, parse(location.hash)));

export function go(path: string): void {
  location.hash = path.startsWith('#') ? path : `#/${path.replace(/^\//, '')}`;
}
