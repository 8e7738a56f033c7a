import { knownProblemCodes, problemMessage } from './problems';

// The C# sources of every service, building block and the gateway, read at test time (Node's fs, imported by a
// computed name because the web build has no Node types): a code added there without a message here fails this test.
interface DirEntry { name: string; isDirectory(): boolean }
interface NodeFs { readdirSync(path: string, options: { withFileTypes: true }): DirEntry[]; readFileSync(path: string, encoding: 'utf8'): string }
const fs: NodeFs = await import(/* @vite-ignore */ ['node', 'fs'].join(':'));
// Under jsdom the module URL is Vite's (/@fs/...): its path, without that prefix, is the file's.
const repository = `${decodeURIComponent(new URL(import.meta.url).pathname).replace(/^\/@fs/, '').replace(/\/web\/src\/lib\/[^/]+$/, '')}/`;
const skipped = new Set(['tests', 'bin', 'obj', 'Migrations', 'node_modules']);

function csharpFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? (skipped.has(entry.name) ? [] : csharpFiles(`${directory}/${entry.name}`))
      : entry.name.endsWith('.cs') ? [`${directory}/${entry.name}`] : []);
}

const sources: Record<string, string> = Object.fromEntries(
  ['services', 'building-blocks', 'gateway'].flatMap((top) => csharpFiles(repository + top)).map((file) => [file, fs.readFileSync(file, 'utf8')]),
);

/** The problem codes a C# file can return: constants of a *ProblemCodes class, `const string XxxCode = "..."`, literal codes. */
export function problemCodesIn(source: string): string[] {
  const codes = new Set<string>();
  for (const block of source.matchAll(/static class \w*ProblemCodes\b[\s\S]*?\n}/g)) {
    for (const constant of block[0].matchAll(/const string \w+\s*=\s*"([a-z0-9_]+)"/g)) codes.add(constant[1]);
  }
  for (const constant of source.matchAll(/const string \w+Code\s*=\s*"([a-z0-9_]+)"/g)) codes.add(constant[1]);
  for (const literal of source.matchAll(/(?:ApiProblems\.(?:Problem|NotFound|Conflict)|RetryLater)\(\s*(?:\d+\s*,\s*)?"([a-z0-9_]+)"\s*,/g)) codes.add(literal[1]);
  for (const extension of source.matchAll(/\["code"\]\s*=\s*"([a-z0-9_]+)"/g)) codes.add(extension[1]);
  return [...codes];
}

describe('problem messages', () => {
  const served = [...new Set(Object.values(sources).flatMap(problemCodesIn))].sort();

  it('finds the codes in the C# sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(served).toEqual(expect.arrayContaining(['validation_failed', 'invalid_credentials', 'plan_sold_out', 'serial_not_found', 'rate_limited', 'session_ended']));
  });

  it('has a Chinese and an English message for every code a service can return', () => {
    const missing = served.filter((code) => !knownProblemCodes().includes(code));
    expect(missing, 'codes without a message in web/src/lib/problems.ts').toEqual([]);
    for (const code of served) {
      expect(problemMessage(code, 'zh-CN'), code).toMatch(/[\u4e00-\u9fff]/);
      expect(problemMessage(code, 'en'), code).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('reads the codes the ways services write them', () => {
    const source = `public static class FooProblemCodes\n{\n    public const string Bar = "bar_baz";\n}\npublic const string LimitCode = "limit_hit";\n`
      + `return ApiProblems.Problem(400, "literal_one", "t"); RetryLater(429, "literal_two", "t", x); Extensions = { ["code"] = "ext_code" }`;
    expect(problemCodesIn(source).sort()).toEqual(['bar_baz', 'ext_code', 'limit_hit', 'literal_one', 'literal_two']);
  });

  it("never shows an unknown code's English title in Chinese", () => {
    expect(problemMessage('brand_new', 'en', { status: 409, title: 'Brand new conflict.' })).toBe('Brand new conflict.');
    expect(problemMessage('brand_new', 'zh-CN', { status: 409, title: 'Brand new conflict.' })).toBe('操作与当前状态冲突，请刷新后再试。');
    expect(problemMessage('brand_new', 'zh-CN', { status: 503 })).toBe('服务暂时不可用，请稍后再试。');
  });
});
