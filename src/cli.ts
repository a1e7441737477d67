#!/usr/bin/env node
// meshgate's command line: `translate` (offline, no cluster) and `controller` (the main job).
// Every command answers --help on stdout with exit 0; every usage error names its reason on stderr with exit 2
// (codes in src/flags.ts and docs/cli.md).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KubeObject } from '../translators/api/meta';
import type { TranslationInput } from '../translators/input';
import type { TranslationResult } from '../translators/result';
import { EXIT, EXIT_CODES_HELP } from './flags';
import { redactSecrets } from './redact';
import { documentToYAML } from './yaml-out';

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
    const { runTranslate } = await import('./cli-translate');
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

/** Generated objects, then every Gateway API input object with its computed status. */
export function renderTranslation(input: TranslationInput, result: TranslationResult, showSecretData: boolean): KubeObject[] {
  const statusByKey = new Map(result.statuses.map((s) => [`${s.target.kind}|${s.target.namespace ?? ''}|${s.target.name}`, s]));
  const sources: KubeObject[] = [...input.gatewayClasses, ...input.gateways, ...(input.listenerSets ?? []), ...input.httpRoutes, ...input.tlsRoutes, ...(input.grpcRoutes ?? []), ...(input.tcpRoutes ?? []), ...(input.udpRoutes ?? [])];
  const withStatus = sources.map((o) => {
    const s = statusByKey.get(`${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`);
    if (!s) return o;
    const { target: _t, generation: _g, ...status } = s as unknown as Record<string, unknown>;
    return { ...o, status } as KubeObject;
  });
  const objects = showSecretData ? result.objects : result.objects.map(redactSecrets);
  return [...objects, ...withStatus];
}

/** The documents as multi-document YAML (YAML 1.1 quoting; see src/yaml-out.ts). */
export function toYAML(docs: object[]): string {
  return docs.map(documentToYAML).join('---\n');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`meshgate: ${(e as Error).stack ?? e}\n`); process.exitCode = EXIT.failure; },
  );
}
