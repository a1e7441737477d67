#!/usr/bin/env node
// meshgate's command line: `translate` (offline, no cluster) and `controller` (the main job).
// Every command answers --help on stdout with exit 0; every usage error names its reason on stderr with exit 2
// (codes in src/flags.ts and docs/cli.md).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT, EXIT_CODES_HELP } from './flags';

export const USAGE = `Usage: meshgate COMMAND [flags]

Translates Kubernetes Gateway API resources into Kuma service-mesh resources.

Commands:
  translate    translate manifest files offline, with no cluster, and print the result
  controller   run the controller in a cluster (the chart's container runs this)

Run 'meshgate COMMAND --help' for a command's flags.
  -h, --help      this help
      --version   print the version

${EXIT_CODES_HELP}`;

const COMMANDS = ['translate', 'controller'];

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || (command === 'help' && rest.length === 0)) { process.stdout.write(USAGE); return EXIT.ok; }
  if (command === 'help') return main([rest[0], '--help']);
  if (command === '--version') { process.stdout.write(`meshgate ${version()}\n`); return EXIT.ok; }
  if (command === 'translate') {
    const { runTranslate } = translateModule();
    return runTranslate(rest);
  }
  if (command === 'controller') {
    const { runController } = await import('./controller/main');
    return runController(rest);
  }
  const reason = command === undefined ? 'missing command' : command.startsWith('-') ? `unknown flag '${command}' (flags go after the command)` : `unknown command '${command}'`;
  process.stderr.write(`meshgate: ${reason}; commands: ${COMMANDS.join(', ')}. Run 'meshgate --help' for usage.\n`);
  return EXIT.usage;
}

/** The translate command: its bundle (scripts/bundle-cli.js) when built and not older than the compiled module. */
function translateModule(): typeof import('./cli-translate') {
  const bundle = join(__dirname, 'cli-translate.bundle.js');
  try {
    if (statSync(bundle).mtimeMs >= statSync(join(__dirname, 'cli-translate.js')).mtimeMs) return require(bundle) as typeof import('./cli-translate');
  } catch {
    // no bundle (ts-node, jest, a tsc-only build)
  }
  return require('./cli-translate') as typeof import('./cli-translate');
}

/** meshgate's package.json is two folders up from dist/src/cli.js and one from src/cli.ts. */
function version(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'meshgate') return pkg.version ?? 'unknown';
  }
  return 'unknown';
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`meshgate: ${(e as Error).stack ?? e}\n`); process.exitCode = EXIT.failure; },
  );
}
