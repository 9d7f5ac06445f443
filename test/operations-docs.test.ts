// docs/operations.md names variables, metrics, make targets and files; keep them real.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readText, root, variablesRead, workspaceSources } from './deploy-files';

const doc = readText('docs/operations.md');
const backticked = [...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);

describe('docs/operations.md', () => {
  it('names only variables the services read and the README documents', () => {
    const read = variablesRead();
    const readme = readText('README.md');
    const table = readme.slice(readme.indexOf('## Configuration'));
    const named = [
      ...new Set(
        backticked.flatMap((t) => [...t.matchAll(/\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b(?!\.)/g)].map((m) => m[1]!)),
      ),
    ];
    // The smoke script's own settings are not service variables.
    const scriptOwn = new Set(
      [...readText('deploy/smoke-image.sh').matchAll(/\$\{(SMOKE_[A-Z_]+)/g)].map((m) => m[1]!),
    );
    expect(scriptOwn.has('SMOKE_REF')).toBe(true);
    const variables = named.filter((n) => !scriptOwn.has(n));
    expect(variables.length).toBeGreaterThan(15);
    for (const name of variables) {
      expect({ name, read: read.has(name) }).toEqual({ name, read: true });
      expect(table).toContain(`\`${name}\``);
    }
  });

  it('lists every metric the code defines, and no other', () => {
    const defined = new Set<string>();
    for (const file of workspaceSources()) {
      for (const m of readText(path.relative(root, file)).matchAll(/name: '(wormhole_[a-z_]+)'/g)) defined.add(m[1]!);
    }
    const documented = new Set(backticked.filter((t) => /^wormhole_[a-z_]+$/.test(t)));
    expect(defined.size).toBeGreaterThan(8);
    expect([...documented].sort()).toEqual([...defined].sort());
  });

  it('tells a GraphQL layer about every table the Postgres migrations create, and only those', () => {
    const dir = path.join(root, 'shared/storage/migrations/postgres');
    const tables = readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .flatMap((f) =>
        [...readText(`shared/storage/migrations/postgres/${f}`).matchAll(/CREATE TABLE (\w+)/g)].map((m) => m[1]!),
      );
    expect(tables).toEqual(expect.arrayContaining(['workflows', 'executions', 'events']));
    const section = doc.slice(
      doc.indexOf('## A GraphQL layer'),
      doc.indexOf('\n## ', doc.indexOf('## A GraphQL layer') + 1),
    );
    const track = /Track the tables:([^]*?)Leave/.exec(section)?.[1] ?? '';
    const named = [...track.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
    expect(named.sort()).toEqual([...tables].sort());
  });

  it('refers to make targets and files that exist', () => {
    const makefile = readText('Makefile');
    for (const m of doc.matchAll(/`make ([a-z-]+)`/g)) expect(makefile).toMatch(new RegExp(`^${m[1]!}:`, 'm'));
    const files = backticked.filter(
      (t) => /^(shared|services|deploy|test)\/[\w./-]+$/.test(t) || t === 'docker-compose.yml',
    );
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      expect({ file, exists: existsSync(path.join(root, file)) }).toEqual({ file, exists: true });
    }
  });
});
