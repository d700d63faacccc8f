/**
 * The seams between domains, read from the sources: a domain takes part in another's state
 * change through its hooks, not by being imported into it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(process.cwd(), 'src');

function filesOf(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesOf(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Import specifiers of a file that bring values (not `import type`), with the names imported. */
function valueImports(path: string): { from: string; names: string }[] {
  const source = readFileSync(path, 'utf8');
  const imports: { from: string; names: string }[] = [];
  for (const match of source.matchAll(/^(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+'([^']+)'/gms)) {
    if (match[2]) continue;
    const names = match[3].replace(/\btype\s+\w+\s*,?/g, '').replace(/[{}\s,]/g, '');
    if (names === '') continue; // only types
    imports.push({ from: match[4], names: match[3] });
  }
  return imports;
}

const domainOf = (specifier: string) => /^(?:\.\.\/)+([a-z-]+)\//.exec(specifier)?.[1];

describe('architecture', () => {
  const applications = filesOf(join(SRC, 'applications'));

  it('the applications module imports no other domain’s entities (by value)', () => {
    const offending = applications.flatMap((file) =>
      valueImports(file)
        .filter(({ from }) => /\.entity\.js$/.test(from) && domainOf(from) && domainOf(from) !== 'common')
        .map(({ from }) => `${relative(SRC, file)} → ${from}`),
    );
    expect(offending).toEqual([]);
  });

  it('the applications module imports nothing of documents or learning agreements', () => {
    const offending = applications.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /from '(\.\.\/)+(documents|learning-agreements)\//.test(line))
        .map((line) => `${relative(SRC, file)}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });

  it('programmes and applications do not import each other both ways: programmes know nothing of applications', () => {
    const offending = filesOf(join(SRC, 'programs')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /from '(\.\.\/)+applications\//.test(line))
        .map((line) => `${relative(SRC, file)}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });

  it('users, agreements, programmes, applications, host families, placements and learning agreements are locked through RowLocks only (one lock order), never by hand', () => {
    const offending = filesOf(SRC)
      .filter((file) => !file.endsWith(join('transactions', 'row-locks.ts')))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => /\((User|Agreement|Program|Application|HostFamily|Placement|LearningAgreement)\b.*pessimistic_(write|read)|setLock\(/.test(line))
          .map((line) => `${relative(SRC, file)}: ${line.trim()}`),
      );
    expect(offending).toEqual([]);
  });
});
