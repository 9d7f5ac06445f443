import type * as PGliteModule from '@electric-sql/pglite';
import type * as NodePostgresAdapter from '@electric-sql/pglite/dist/node-postgres/index';

/**
 * Loads PGlite through Node's own module loader. Its Emscripten start-up calls dynamic `import()`,
 * which Node refuses inside a vm context unless started with --experimental-vm-modules, and jest
 * runs every test (including services booted in embedded mode) in such a context. In a plain
 * process this is an ordinary require. (`getBuiltinModule` exists from Node 20.16.)
 */
export function loadPGlite(): typeof PGliteModule {
  const nodeModule =
    typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:module') : undefined;
  const load = nodeModule ? nodeModule.createRequire(__filename) : require;
  return load('@electric-sql/pglite') as typeof PGliteModule;
}

/**
 * The pg adapter (`createPgConfig`). TypeScript's "node" module resolution (tsconfig.base) ignores
 * package.json "exports", where this subpath is declared, so it is typed from its file instead.
 * It only drives the PGlite instance it is given, so the ordinary require is enough.
 */
export function loadNodePostgresAdapter(): typeof NodePostgresAdapter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@electric-sql/pglite/node-postgres') as typeof NodePostgresAdapter;
}
