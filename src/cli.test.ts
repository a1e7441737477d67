// The command line: help on every command, a reason for every usage error, values validated as Kubernetes
// validates them, exit codes documented, JSON output streamed with the same bytes as one JSON.stringify.
import { parseTranslateArgs, TRANSLATE_USAGE, writeJSONList } from './cli-translate';
import { main, USAGE } from './cli';
import { ConfigError, CONTROLLER_USAGE, parseControllerConfig } from './config';
import { controllerNameProblem, EXIT, namespaceProblem, UsageError } from './flags';

function usageError(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof UsageError) return e.message; throw e; }
  throw new Error('no usage error');
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c) => { stdout += String(c); return true; });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((c) => { stderr += String(c); return true; });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally { out.mockRestore(); err.mockRestore(); }
}

describe('meshgate', () => {
  it.each([[['--help']], [['-h']], [['help']], [['translate', '--help']], [['translate', '-h']], [['controller', '--help']], [['help', 'translate']]])('%j prints help on stdout and exits 0', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/^Usage: meshgate/);
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stderr).toBe('');
  });

  it.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['translate'], /no input/],
    [['translate', '-f', 'x', '-o', 'xml'], /"xml" is not an output format; use yaml or json/],
    [['translate', '-f', 'x', '--system-namespace', 'Bad_NS'], /--system-namespace: "Bad_NS" is not a valid namespace name/],
    [['translate', '-f', 'x', '--nope'], /Unknown option '--nope'/],
    [['controller', '--controller-name=kuma'], /--controller-name: "kuma" is not a valid controller name/],
  ])('%j is a usage error (exit 2) saying why', async (argv, reason) => {
    const r = await run(argv);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(reason);
    expect(r.stdout).toBe('');
  });

  it('a file that does not exist is an input error (exit 3)', async () => {
    const r = await run(['translate', '-f', '/nonexistent/meshgate-test.yaml']);
    expect(r.code).toBe(EXIT.input);
    expect(r.stderr).toBe('error: cannot read /nonexistent/meshgate-test.yaml: no such file or directory\n');
  });

  it('documents every exit code in every help', () => {
    for (const help of [USAGE, TRANSLATE_USAGE, CONTROLLER_USAGE]) for (const code of Object.values(EXIT)) expect(help).toMatch(new RegExp(`^  ${code}  `, 'm'));
  });
});

describe('translate flags', () => {
  it('accepts valid values', () => {
    expect(parseTranslateArgs(['-f', 'a', '-f', 'b', '-o', 'json', '--controller-name', 'example.com/gw', '--system-namespace', 'mesh-1'])).toEqual({
      files: ['a', 'b'], output: 'json', showSecretData: false, admission: true, controllerName: 'example.com/gw', systemNamespace: 'mesh-1',
    });
    expect(parseTranslateArgs(['-f', 'a', '--no-admission'])).toMatchObject({ admission: false });
    expect(parseTranslateArgs(['-f', 'a', '--gui', '--port', '0'])).toMatchObject({ gui: { port: 0 } });
  });

  it.each([
    [['-f', 'a', 'extra'], /Unexpected argument 'extra'/],
    [['-f', 'a', '--port', '80'], /--port only applies with --gui/],
    [['-f', 'a', '--gui', '--port', '70000'], /--port: "70000" is not a port number/],
    [['-f', 'a', '--gui', '-o', 'json'], /--output does not apply with --gui/],
    [['-f', 'a', '--controller-name', 'Example.com/gw'], /not a valid controller name/],
  ])('%j: %s', (args, reason) => {
    expect(usageError(() => parseTranslateArgs(args))).toMatch(reason);
  });
});

describe('controller flags', () => {
  const env = {};
  it.each([
    [['--system-namespace=kuma_system'], /--system-namespace: "kuma_system" is not a valid namespace name/],
    [['--watch-namespaces=a,B'], /--watch-namespaces: "B"/],
    [['--leader-election-namespace=-x'], /--leader-election-namespace/],
    [['--leader-election-id=Leader'], /--leader-election-id: "Leader" is not a valid name/],
    [['--log-level=loud'], /--log-level: "loud" is not a log level/],
    [['--metrics-address=9090'], /--metrics-address: "9090" is not an address/],
    [['--gui-address=localhost'], /--gui-address/],
    [['positional'], /Unexpected argument 'positional'/],
  ])('%j: %s', (argv, reason) => {
    expect(usageError(() => parseControllerConfig(argv, env))).toMatch(reason);
  });

  it('names the environment variable a bad value came from', () => {
    expect(usageError(() => parseControllerConfig([], { POD_NAMESPACE: 'Bad' }))).toMatch(/^--leader-election-namespace \(env POD_NAMESPACE\): "Bad"/);
    expect(() => parseControllerConfig([], { POD_NAMESPACE: 'Bad' })).toThrow(ConfigError);
  });

  it('accepts the chart\'s values', () => {
    const cfg = parseControllerConfig(['--controller-name=gateways.kuma.io/controller', '--system-namespace=kuma-system', '--metrics-address=:9090', '--gui-address=0.0.0.0:5681', '--watch-namespaces=team-a,team-b', '--leader-election-id=meshgate-leader'], env);
    expect(cfg).toMatchObject({ controllerName: 'gateways.kuma.io/controller', systemNamespace: 'kuma-system', watchNamespaces: ['team-a', 'team-b'] });
  });
});

describe('validators', () => {
  it('namespace names are DNS-1123 labels', () => {
    for (const ok of ['a', 'kuma-system', '0abc', 'a'.repeat(63)]) expect(namespaceProblem(ok)).toBeUndefined();
    for (const bad of ['', 'A', 'a_b', '-a', 'a-', 'a.b', 'a'.repeat(64)]) expect(namespaceProblem(bad)).toBeDefined();
  });
  it('controller names are Gateway API domain/path', () => {
    for (const ok of ['gateways.kuma.io/controller', 'example.com/a/b', 'meshgate.test/x']) expect(controllerNameProblem(ok)).toBeUndefined();
    for (const bad of ['', 'kuma', '/path', 'Example.com/x', 'example.com/', `${'a'.repeat(250)}.io/x`]) expect(controllerNameProblem(bad)).toBeDefined();
  });
});

describe('writeJSONList', () => {
  it.each([[[]], [[{ a: 1 }]], [[{ kind: 'X', spec: { list: [1, { b: 'line\nbreak' }], empty: {} } }, {}, { c: [] }]]])('equals JSON.stringify of the List (%#)', async (items) => {
    let out = '';
    await writeJSONList(items, (c) => { out += c; });
    expect(out).toBe(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)}\n`);
  });
});
