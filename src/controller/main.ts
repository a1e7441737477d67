// `meshgate controller`: configuration, logging, metrics and health endpoints, GUI, controller.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { ConfigError, CONTROLLER_USAGE, parseControllerConfig, splitAddress } from '../config';
import { EXIT } from '../flags';
import { createLogger } from '../log';
import { Metrics } from '../metrics';
import { LeaderElector } from '../kube/leader';
import { Controller } from './controller';
import { engineSource } from './gui-source';

export async function runController(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(CONTROLLER_USAGE); return 0; }
  let cfg;
  try {
    cfg = parseControllerConfig(argv);
  } catch (e) {
    if (e instanceof ConfigError) { process.stderr.write(`meshgate controller: ${e.message}\nRun 'meshgate controller --help' for usage.\n`); return EXIT.usage; }
    throw e;
  }
  const log = createLogger(cfg.logLevel, cfg.logFormat);
  const metrics = new Metrics();
  let onChange = () => {};
  let elector: LeaderElector | undefined;
  const controller = new Controller(cfg, log, {
    isLeader: cfg.leaderElect ? () => elector?.isLeader() ?? false : undefined,
    onWrite: (e) => metrics.writes.inc({ kind: e.kind, verb: e.verb, result: e.result }),
    onInformerRestart: (kind, reason) => metrics.watchRestarts.inc({ kind, reason }),
    onTranslate: (seconds) => metrics.translation.observe(seconds),
    onChange: () => onChange(),
  });
  wireGauges(metrics, controller);
  const gui = engineSource(controller.engine);
  onChange = gui.changed;
  const server = await serveOps(cfg.metricsAddress, metrics, () => controller.ready && (!cfg.leaderElect || (elector?.known() ?? false)));
  log.info('metrics and health endpoints', { address: cfg.metricsAddress, paths: ['/metrics', '/healthz', '/readyz'] });
  let guiServer: { url: string; close(): Promise<void> } | undefined;
  const guiOn = Boolean(cfg.guiAddress) && cfg.guiAddress !== 'off';
  const token = guiOn && cfg.guiTokenFile ? readFileSync(cfg.guiTokenFile, 'utf8').trim() : undefined;
  await controller.start();
  if (guiOn) {
    // Loaded once the informers are listing: its modules took a third of a second of every
    // start, while the controller mostly waits for the API server's first answers.
    const { startGuiServer } = await import('../gui');
    const { host, port } = splitAddress(cfg.guiAddress);
    guiServer = await startGuiServer({ host, port, source: gui, token, log: (msg, meta) => log.info(msg, meta) });
    log.info('GUI', { url: guiServer.url });
  }
  controller.client.observe((r) => metrics.apiRequests.inc({ method: r.method, code: String(r.status) }));
  if (cfg.leaderElect) {
    elector = new LeaderElector(controller.client, {
      namespace: cfg.leaderElectionNamespace, name: cfg.leaderElectionId, identity: cfg.identity,
      leaseDurationMs: cfg.leaseDurationMs, renewDeadlineMs: cfg.renewDeadlineMs, retryPeriodMs: cfg.retryPeriodMs,
    }, {
      onStartedLeading: () => { log.info('became leader', { identity: cfg.identity, lease: `${cfg.leaderElectionNamespace}/${cfg.leaderElectionId}` }); controller.resumeWriting(); },
      onStoppedLeading: () => { log.warn('lost leadership: stopped writing', { identity: cfg.identity }); controller.pauseWriting(); },
      onNewLeader: (id) => log.info('following leader', { leader: id }),
      onError: (e) => log.warn('leader election', { error: e.message }),
    });
    elector.start();
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('shutting down');
  controller.pauseWriting();
  await elector?.stop();
  await controller.stop();
  await guiServer?.close();
  server.close();
  return 0;
}

function wireGauges(metrics: Metrics, controller: Controller): void {
  metrics.beforeScrape = () => {
    metrics.queueDepth.set(controller.reconciler?.queueDepth ?? 0);
    metrics.inFlight.set(controller.reconciler?.inFlight ?? 0);
    metrics.ready.set(controller.ready ? 1 : 0);
    metrics.leader.set(controller.isLeader() ? 1 : 0);
    const counts: Record<string, number> = {};
    for (const o of controller.engine.desiredObjects()) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
    metrics.owned.reset();
    for (const [kind, n] of Object.entries(counts)) metrics.owned.set({ kind }, n);
  };
}

function serveOps(address: string, metrics: Metrics, ready: () => boolean): Promise<http.Server> {
  const { host, port } = splitAddress(address);
  const server = http.createServer((req, res) => {
    if (req.url === '/healthz') { res.writeHead(200).end('ok\n'); return; }
    if (req.url === '/readyz') { const ok = ready(); res.writeHead(ok ? 200 : 503).end(ok ? 'ok\n' : 'caches not synced\n'); return; }
    if (req.url === '/metrics') {
      metrics.beforeScrape();
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
