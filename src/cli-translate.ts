// `meshgate translate`: manifests from files -> the translation, printed as YAML or JSON (streamed: each document
// is written as soon as it is printed), or served in the GUI.
import { parseArgs } from 'node:util';
import { translate } from '../translators';
import { DEFAULT_OPTIONS } from '../translators/input';
import { renderTranslation } from './render';
import { check, controllerNameProblem, EXIT, EXIT_CODES_HELP, namespaceProblem, portProblem, UsageError } from './flags';
import { loadManifests, ManifestError } from './load';
import { writeYAMLStream } from './yaml-out';

export const TRANSLATE_USAGE = `Usage: meshgate translate -f FILE|DIR [-f FILE|DIR ...] [flags]

Translates Gateway API manifests offline, with no cluster: prints the generated Kuma objects, then every
GatewayClass, Gateway, ListenerSet, HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute read with the status meshgate would write. Warnings and
diagnostics go to stderr.

Flags:
  -f, --filename FILE|DIR     a manifest file, or a directory read recursively (*.yaml, *.yml, *.json); repeatable
  -o, --output FORMAT         yaml (default: multi-document YAML) or json (one v1 List)
      --show-secret-data      print the data of the TLS Secret copies (redacted by default)
      --no-admission          also translate objects the API server would refuse (bad apiVersion, schema
                              errors); by default they are skipped with a warning naming file:line and field
      --controller-name NAME  controllerName of the GatewayClasses meshgate claims (default ${DEFAULT_OPTIONS.controllerName})
      --system-namespace NS   namespace of the generated routes and Secret copies (default ${DEFAULT_OPTIONS.systemNamespace})
      --gui                   serve the GUI over the result instead of printing it, until Ctrl-C
      --port N                the GUI's port on 127.0.0.1 (default 5681; with --gui)
  -h, --help                  this help

${EXIT_CODES_HELP}`;

const FORMATS = ['yaml', 'json'];

export interface TranslateArgs {
  files: string[];
  output: 'yaml' | 'json';
  showSecretData: boolean;
  /** false: objects the API server would refuse are translated too (--no-admission). */
  admission: boolean;
  gui?: { port: number };
  controllerName?: string;
  systemNamespace?: string;
}

/** The arguments, validated; 'help' for --help. Throws UsageError with the reason. */
export function parseTranslateArgs(args: string[]): TranslateArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        filename: { type: 'string', short: 'f', multiple: true },
        output: { type: 'string', short: 'o' },
        'show-secret-data': { type: 'boolean' },
        'no-admission': { type: 'boolean' },
        gui: { type: 'boolean' },
        port: { type: 'string' },
        'controller-name': { type: 'string' },
        'system-namespace': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message.split('. To specify a positional')[0]);
  }
  if (values.help) return 'help';
  if (!values.filename?.length) throw new UsageError('no input: give at least one -f FILE or -f DIR');
  const empty = values.filename.find((f) => f === '');
  if (empty !== undefined) throw new UsageError('--filename: an empty path');
  const output = values.output ?? 'yaml';
  if (!FORMATS.includes(output)) throw new UsageError(`--output: "${output}" is not an output format; use ${FORMATS.join(' or ')}`);
  if (values.port !== undefined && !values.gui) throw new UsageError('--port only applies with --gui');
  if (values.gui && values.output !== undefined) throw new UsageError('--output does not apply with --gui (the GUI shows the result)');
  return {
    files: values.filename,
    output: output as 'yaml' | 'json',
    showSecretData: values['show-secret-data'] ?? false,
    admission: !(values['no-admission'] ?? false),
    ...(values.gui ? { gui: { port: Number(check('port', values.port ?? '5681', portProblem)) } } : {}),
    ...(values['controller-name'] !== undefined ? { controllerName: check('controller-name', values['controller-name'], controllerNameProblem) } : {}),
    ...(values['system-namespace'] !== undefined ? { systemNamespace: check('system-namespace', values['system-namespace'], namespaceProblem) } : {}),
  };
}

/** Writes to stdout, waiting when the pipe is full (the output of 10,000 routes is ~30 MB). */
function writeStdout(chunk: string): void | Promise<void> {
  if (process.stdout.write(chunk)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}

export async function runTranslate(args: string[]): Promise<number> {
  let a: TranslateArgs | 'help';
  try {
    a = parseTranslateArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`meshgate translate: ${e.message}\nRun 'meshgate translate --help' for usage.\n`);
    return EXIT.usage;
  }
  if (a === 'help') { process.stdout.write(TRANSLATE_USAGE); return EXIT.ok; }
  let loaded;
  try {
    loaded = loadManifests(a.files, {
      ...(a.controllerName ? { controllerName: a.controllerName } : {}),
      ...(a.systemNamespace ? { systemNamespace: a.systemNamespace } : {}),
    }, { admission: a.admission });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof ManifestError) process.stderr.write(`error: ${e.message}\n`);
    else if (err.code && err.path) process.stderr.write(`error: cannot read ${err.path}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}\n`);
    else throw e;
    return EXIT.input;
  }
  for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
  if (a.gui) {
    const { serveOffline } = await import('./gui/offline');
    const gui = await serveOffline(loaded.input, { host: '127.0.0.1', port: a.gui.port });
    process.stderr.write(`meshgate GUI: ${gui.url}\n`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    await gui.close();
    return EXIT.ok;
  }
  const result = translate(loaded.input);
  for (const d of result.diagnostics) process.stderr.write(`${d.severity}: ${d.object.kind} ${d.object.namespace ? `${d.object.namespace}/` : ''}${d.object.name}${d.field ? ` ${d.field}` : ''}: ${d.message}\n`);
  const docs = renderTranslation(loaded.input, result, a.showSecretData);
  if (a.output === 'json') await writeJSONList(docs, writeStdout);
  else await writeYAMLStream(docs, writeStdout);
  return EXIT.ok;
}

/** `JSON.stringify({apiVersion: 'v1', kind: 'List', items}, null, 2)` and a newline, written item by item. */
export async function writeJSONList(items: object[], write: (chunk: string) => void | Promise<void>): Promise<void> {
  if (items.length === 0) { await write('{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": []\n}\n'); return; }
  let buffer = '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n';
  for (let i = 0; i < items.length; i++) {
    // An item is two levels deep in the List: its lines move 4 spaces right (JSON strings hold no raw newline).
    buffer += `    ${JSON.stringify(items[i], null, 2).replace(/\n/g, '\n    ')}${i < items.length - 1 ? ',' : ''}\n`;
    if (buffer.length >= 65536) { await write(buffer); buffer = ''; }
  }
  await write(`${buffer}  ]\n}\n`);
}
