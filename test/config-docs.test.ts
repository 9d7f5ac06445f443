// Every environment variable the code reads must be in the README's configuration table, so the
// table cannot drift from the code.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.test.ts') && !full.includes('__tests__') ? [full] : [];
  });
}

describe('README configuration table', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'));
  const files = ['shared', 'services'].flatMap((d) => sourceFiles(path.join(root, d)));
  const read = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\br\.(?:int|string|bool|oneOf|url|raw)\(\s*'([A-Z][A-Z0-9_]*)'/g)) read.add(m[1]!);
  }

  it('finds the variables the code reads', () => {
    expect(read.has('DATABASE_TYPE')).toBe(true);
    expect(read.size).toBeGreaterThan(15);
  });

  it.each([...read].sort())('documents %s', (name) => {
    expect(table).toContain(`\`${name}\``);
  });
});
