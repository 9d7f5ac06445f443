import type { ErrorDetail, JsonValue } from '@wormhole/interfaces';
import { catalogReference, walkDefinitions } from '../runtime/resources';

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
  walkDefinitions(doc as JsonValue, (key, call, path) => {
    if (key !== 'call' || typeof call !== 'string') return;
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

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
