// `meshgate controller`: configuration, logging, health endpoints, GUI, and the controller.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ConfigError, CONTROLLER_USAGE, parseControllerConfig, splitAddress } from '../config';
import { createLogger } from '../log';
import { startGuiServer } from '../gui';
import { Controller } from './controller';
import { engineSource } from './gui-source';

export async function runController(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(CONTROLLER_USAGE); return 0; }
  let cfg;
  try {
    cfg = parseControllerConfig(argv);
  } catch (e) {
    if (e instanceof ConfigError) { process.stderr.write(`meshgate controller: ${e.message}\n${CONTROLLER_USAGE}`); return 2; }
    throw e;
  }
  const log = createLogger(cfg.logLevel, cfg.logFormat);
  const source = { changed: () => {} } as { changed: () => void };
  const controller = new Controller(cfg, log, { onChange: () => source.changed() });
  const gui = engineSource(controller.engine);
  source.changed = gui.changed;
  const health = await serveHealth(cfg.metricsAddress, () => controller.ready);
  log.info('health endpoints', { address: cfg.metricsAddress, paths: ['/healthz', '/readyz'] });
  let guiServer: { url: string; close(): Promise<void> } | undefined;
  if (cfg.guiAddress && cfg.guiAddress !== 'off') {
    const { host, port } = splitAddress(cfg.guiAddress);
    const token = cfg.guiTokenFile ? readFileSync(cfg.guiTokenFile, 'utf8').trim() : undefined;
    guiServer = await startGuiServer({ host, port, source: gui, token, log: (msg, meta) => log.info(msg, meta) });
    log.info('GUI', { url: guiServer.url });
  }
  await controller.start();
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stop;
  log.info('shutting down');
  await controller.stop();
  await guiServer?.close();
  health.close();
  return 0;
}

function serveHealth(address: string, ready: () => boolean): Promise<http.Server> {
  const { host, port } = splitAddress(address);
  const server = http.createServer((req, res) => {
    if (req.url === '/healthz') { res.writeHead(200).end('ok\n'); return; }
    if (req.url === '/readyz') { const ok = ready(); res.writeHead(ok ? 200 : 503).end(ok ? 'ok\n' : 'caches not synced\n'); return; }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
