import type { ErrorDetail } from '@wormhole/interfaces';
import { catalogReference } from '../runtime/resources';

/** Properties whose values are data, not definitions (as the runtime's `resources.ts` reads them). */
const DATA_KEYS: ReadonlySet<string> = new Set(['with', 'set', 'metadata', 'emit', 'arguments', 'environment']);

/**
 * Catalog function calls (`call: <name>:<version>@<catalog>`) that cannot run: the catalog is not
 * declared in `use.catalogs` (Wormhole defines no `default` catalog of its own), or its endpoint
 * is a runtime expression (its functions are fetched before the run starts, when no expression
 * has a value yet). Refused when the workflow is created, rather than failing each run.
 */
export function catalogProblems(doc: Readonly<Record<string, unknown>>): ErrorDetail[] {
  const use = doc.use as Record<string, unknown> | undefined;
  const catalogs = (use?.catalogs ?? {}) as Record<string, unknown>;
  const details: ErrorDetail[] = [];
  for (const [name, catalog] of Object.entries(catalogs)) {
    const endpoint = (catalog as { endpoint?: unknown } | null)?.endpoint;
    const uri = typeof endpoint === 'string' ? endpoint : (endpoint as { uri?: unknown } | null | undefined)?.uri;
    if (typeof uri === 'string' && /^\s*\$\{/.test(uri)) {
      details.push({
        path: `/use/catalogs/${escape(name)}/endpoint`,
        message: 'must be a literal URI: catalog functions are fetched before the run starts',
      });
    }
  }
  walk(doc, '', (path, call) => {
    const reference = catalogReference(call);
    if (reference === undefined || Object.hasOwn(catalogs, reference.catalog)) return;
    details.push({
      path,
      message:
        reference.catalog === 'default'
          ? `calls '${call}' from the default catalog, which Wormhole does not define: declare it under use.catalogs.default`
          : `calls '${call}' from catalog '${reference.catalog}', which use.catalogs does not declare`,
    });
  });
  return details;
}

function walk(value: unknown, path: string, visit: (path: string, call: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${path}/${index}`, visit));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (DATA_KEYS.has(key)) continue;
    const childPath = `${path}/${escape(key)}`;
    if (key === 'call' && typeof child === 'string') visit(childPath, child);
    walk(child, childPath, visit);
  }
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
