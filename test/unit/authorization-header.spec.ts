/**
 * Bearer tokens are read by passport-jwt (`ExtractJwt.fromAuthHeaderAsBearerToken()` in
 * src/auth/jwt.strategy.ts) and nowhere else: no source file picks the Authorization header
 * apart by hand, where it could drift from the strategy (another scheme accepted, a token
 * checked with other options).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const READS: [string, RegExp][] = [
  // request.headers.authorization, headers?.Authorization, headers['authorization']; not inside a
  // string such as the logger's redaction path 'req.headers.authorization'
  ['reads headers.authorization', /(?<!['"`][\w.$?]*)\bheaders\??\.\s*authorization\b/gi],
  ['reads headers[authorization]', /(?<!['"`][\w.$?]*)\bheaders\??\.?\[\s*(['"`])authorization\1\s*\]/gi],
  ['destructures authorization from the headers', /\{[^}]*\bauthorization\b[^}]*\}\s*=\s*[\w.$?]*headers\b/gi],
  ['parses a Bearer header with a regular expression', /\/\^?\(?\??:?Bearer\b/g],
];

/** Where a source text reads the Authorization header by hand, as `rule: line`. */
function handReadsIn(source: string): string[] {
  const found: string[] = [];
  for (const [rule, pattern] of READS) {
    for (const match of source.matchAll(pattern)) {
      const line = source.slice(0, match.index).split('\n').length;
      found.push(`${rule}: line ${line}`);
    }
  }
  return found;
}

describe('the Authorization header', () => {
  it('recognizes a hand-made read, and leaves a redaction path or the strategy alone (the check itself)', () => {
    expect(handReadsIn('const header = request.headers.authorization;')).toHaveLength(1);
    expect(handReadsIn('const header = req.raw.headers["Authorization"];')).toHaveLength(1);
    expect(handReadsIn('const { authorization } = request.headers;')).toHaveLength(1);
    expect(handReadsIn('const match = /^Bearer ([A-Za-z0-9_\\-.]+)$/.exec(header);')).toHaveLength(1);

    expect(handReadsIn("const REDACT = ['req.headers.authorization', 'req.headers.cookie'];")).toEqual([]);
    expect(handReadsIn('jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),')).toEqual([]);
    expect(handReadsIn("if (problem.status === 401) reply.header('WWW-Authenticate', 'Bearer');")).toEqual([]);
  });

  it('is never read by hand under src/', () => {
    const root = join(process.cwd(), 'src');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(20);
    const reads = files.flatMap((name) => handReadsIn(readFileSync(join(root, name), 'utf8')).map((read) => `src/${name} ${read}`));
    expect(reads).toEqual([]);
  });
});
