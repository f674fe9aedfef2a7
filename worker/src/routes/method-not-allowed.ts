/**
 * A path the app serves, asked with a method it does not take, answers 405 with `Allow` (RFC 9110
 * §15.5.6) rather than 404: the client's mistake is the method, and the answer says which to use.
 * The app's own routes are matched by Hono's router, so every path syntax the app uses is understood.
 */
import type { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';

type Routes = Hono['routes'];

/** The methods `path` is served with (HEAD wherever GET is), or none: a lookup built once per isolate. */
export function allowedMethodsOf(routes: Routes): (path: string) => string[] {
  let router: TrieRouter<string> | null = null;
  return (path) => {
    if (!router) {
      router = new TrieRouter<string>();
      // Middleware and catch-all handlers are registered for ALL methods: they say nothing about this.
      for (const route of routes) if (route.method !== 'ALL') router.add('ALL', route.path, route.method);
    }
    const methods = new Set(router.match('GET', path)[0].map(([method]) => method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
