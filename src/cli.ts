#!/usr/bin/env node
// meshgate's command line: `translate` (offline, no cluster) and `controller` (the main job).
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { translate } from '../translators';
import type { KubeObject } from '../translators/api/meta';
import type { TranslationInput } from '../translators/input';
import type { TranslationResult } from '../translators/result';
import { redactSecrets } from './redact';
import { loadManifests, ManifestError } from './load';

const USAGE = `Usage:
  meshgate translate -f FILE|DIR [-f ...] [-o yaml|json] [--show-secret-data] [--gui [--port N]]
  meshgate controller [flags]   (see meshgate controller --help)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'translate') return runTranslate(rest);
  if (command === 'controller') {
    const { runController } = await import('./controller/main');
    return runController(rest);
  }
  process.stderr.write(USAGE);
  return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
}

/** Generated objects, then every Gateway API input object with its computed status. */
export function renderTranslation(input: TranslationInput, result: TranslationResult, showSecretData: boolean): KubeObject[] {
  const statusByKey = new Map(result.statuses.map((s) => [`${s.target.kind}|${s.target.namespace ?? ''}|${s.target.name}`, s]));
  const sources: KubeObject[] = [...input.gatewayClasses, ...input.gateways, ...input.httpRoutes, ...input.tlsRoutes];
  const withStatus = sources.map((o) => {
    const s = statusByKey.get(`${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`);
    if (!s) return o;
    const { target: _t, generation: _g, ...status } = s as unknown as Record<string, unknown>;
    return { ...o, status } as KubeObject;
  });
  const objects = showSecretData ? result.objects : result.objects.map(redactSecrets);
  return [...objects, ...withStatus];
}

/** YAML 1.1 quoting so kubectl (YAML 1.1) never reads a header value like `on` as a boolean. */
export function toYAML(docs: object[]): string {
  return docs.map((d) => stringify(d, { lineWidth: 0, version: '1.1', aliasDuplicateObjects: false })).join('---\n');
}

async function runTranslate(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        filename: { type: 'string', short: 'f', multiple: true },
        output: { type: 'string', short: 'o', default: 'yaml' },
        'show-secret-data': { type: 'boolean', default: false },
        gui: { type: 'boolean', default: false },
        port: { type: 'string', default: '5681' },
        'controller-name': { type: 'string' },
        'system-namespace': { type: 'string' },
      },
    }));
  } catch (e) {
    process.stderr.write(`meshgate translate: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.filename?.length || !['yaml', 'json'].includes(values.output ?? '')) {
    process.stderr.write(USAGE);
    return 2;
  }
  let loaded;
  try {
    loaded = loadManifests(values.filename, {
      ...(values['controller-name'] ? { controllerName: values['controller-name'] } : {}),
      ...(values['system-namespace'] ? { systemNamespace: values['system-namespace'] } : {}),
    });
  } catch (e) {
    if (e instanceof ManifestError) { process.stderr.write(`error: ${e.message}\n`); return 2; }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 2;
  }
  for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
  if (values.gui) {
    const { serveOffline } = await import('./gui/offline');
    const gui = await serveOffline(loaded.input, { host: '127.0.0.1', port: Number(values.port) });
    process.stderr.write(`meshgate GUI: ${gui.url}\n`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    await gui.close();
    return 0;
  }
  const result = translate(loaded.input);
  for (const d of result.diagnostics) process.stderr.write(`${d.severity}: ${d.object.kind} ${d.object.namespace ? `${d.object.namespace}/` : ''}${d.object.name}${d.field ? ` ${d.field}` : ''}: ${d.message}\n`);
  const docs = renderTranslation(loaded.input, result, values['show-secret-data'] ?? false);
  if (values.output === 'json') process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }, null, 2)}\n`);
  else process.stdout.write(toYAML(docs));
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e) => { process.stderr.write(`meshgate: ${(e as Error).stack ?? e}\n`); process.exitCode = 1; },
  );
}
