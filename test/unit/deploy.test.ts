import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseAllDocuments, parse } from 'yaml';
import { envVariableNames, loadConfig } from '../../src/config.ts';
import { createTestApp } from '../support/app.ts';

/**
 * The deployment examples (deploy/) cannot run here: there is no container engine or cluster on
 * this machine. This checks what can be checked without one: they parse, they name only variables
 * Strata reads and their values pass its config schema, probes hit routes that exist, ports and
 * labels line up, grace periods cover SHUTDOWN_GRACE_MS, and image commands are package.json's.
 */
const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const known = new Set(envVariableNames);
/** PostgreSQL's default max_connections minus superuser_reserved_connections and room for admin work. */
const CONNECTION_BUDGET = 90;

type Doc = Record<string, any>;
const manifests: Doc[] = readdirSync(new URL('deploy/k8s/', ROOT))
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(read(`deploy/k8s/${f}`)).map((d) => d.toJS() as Doc));
const kind = (k: string) => manifests.filter((m) => m.kind === k);
const one = (k: string) => {
  const found = kind(k);
  assert.equal(found.length, 1, `one ${k}`);
  return found[0]!;
};
const compose = parse(read('deploy/compose.yaml')) as Doc;
const commandOf = (script: string) => pkg.scripts[script]!.split(' ');
/**
 * The image holds the compiled server (`npm run build`), not the sources: its commands are
 * `npm run start:built`'s CLI (node dist/src/cli.js) with a subcommand, serve or migrate.
 */
const imageCommand = (subcommand: string) => [...commandOf('start:built').slice(0, -1), subcommand];

/** The Dockerfile's instructions (no comments or blank lines), one list per stage, each from its FROM. */
function dockerStages(): string[][] {
  const stages: string[][] = [];
  for (const line of read('deploy/Dockerfile').split('\n').filter((l) => l.trim() && !l.startsWith('#'))) {
    if (line.startsWith('FROM ')) stages.push([line]);
    else stages.at(-1)!.push(line);
  }
  return stages;
}
/** What a stage's COPY lines take from the build context (not --from another stage), as written. */
const copiedFromContext = (stage: string[]) => stage.filter((l) => l.startsWith('COPY ') && !l.includes('--from=')).flatMap((l) => l.split(/\s+/).slice(1, -1));

/**
 * The commented variants of a file: indented `# NAME: value` lines, which a user switches on by
 * uncommenting them (REDIS_CLUSTER_NODES, DATABASE_READ_URL, ...). Checked like the live settings.
 */
function commentedVariants(path: string): Record<string, string> {
  const lines = [...read(path).matchAll(/^\s+#\s*([A-Z][A-Z0-9_]*):\s*(\S.*)$/gm)];
  return Object.fromEntries(lines.map((m) => [m[1]!, String(parse(m[2]!))]));
}
/** ${VAR:-default} is Compose interpolation: the defaults, as Compose would fill them in. */
const interpolate = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]));
/** A URL with a user or password in it (`scheme://user:password@host`), in any comma-separated part. */
const carriesCredentials = (value: string) => value.split(',').some((part) => /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*@/i.test(part.trim()));
/** Variables that are secrets by name, whatever their value. */
const SECRET_NAME = /PASSWORD|SECRET|API_KEYS$/;

describe('deployment examples (deploy/): parsed and cross-checked, not run', () => {
  const deployment = one('Deployment');
  const pod = deployment.spec.template.spec;
  const gateway = pod.containers.find((c: Doc) => c.name === 'gateway');
  const config = one('ConfigMap');
  const secret = one('Secret');
  const env = { ...config.data, ...secret.stringData } as Record<string, string>;

  it('k8s: every variable is one Strata reads, secrets are in the Secret, and the set loads through the config schema', () => {
    for (const name of Object.keys(env)) assert.ok(known.has(name), `${name} is not a Strata variable (src/config.ts)`);
    for (const name of ['DATABASE_URL', 'STRATA_API_KEYS', 'S3_SECRET_ACCESS_KEY']) {
      assert.ok(name in secret.stringData, `${name} in the Secret`);
      assert.ok(!(name in config.data), `${name} not in the ConfigMap`);
    }
    const loaded = loadConfig(env);
    assert.equal(loaded.host, '0.0.0.0');
    assert.ok(loaded.security.keys.length > 0, 'API keys configured: a non-loopback HOST needs them');
    for (const c of [...pod.initContainers, ...pod.containers]) {
      const refs = c.envFrom.map((e: Doc) => e.configMapRef?.name ?? e.secretRef?.name);
      assert.deepEqual(refs, [config.metadata.name, secret.metadata.name], `${c.name} takes its env from the ConfigMap and the Secret`);
      for (const e of c.env ?? []) assert.ok(known.has(e.name), `${c.name}: ${e.name} is not a Strata variable`);
    }
  });

  it('k8s: no URL with credentials and no password in the ConfigMap, commented variants included; the Secret holds them', () => {
    const plain = { ...config.data, ...commentedVariants('deploy/k8s/configmap.yaml') } as Record<string, string>;
    const leaks = Object.entries(plain).filter(([name, value]) => SECRET_NAME.test(name) || carriesCredentials(value));
    assert.deepEqual(leaks, [], 'credentials belong in secret.yaml');
    const secrets = { ...secret.stringData, ...commentedVariants('deploy/k8s/secret.yaml') } as Record<string, string>;
    for (const name of ['DATABASE_URL', 'DATABASE_READ_URL', 'REDIS_CLUSTER_PASSWORD']) assert.ok(name in secrets, `${name} (or its commented variant) in the Secret`);
    assert.ok(carriesCredentials(secrets['DATABASE_READ_URL']!), 'the read replica example carries its password, which is why it is a secret');
  });

  it('k8s: the commented variants (Redis Cluster, read replicas) name Strata variables and load once switched on', () => {
    const variants = { ...commentedVariants('deploy/k8s/configmap.yaml'), ...commentedVariants('deploy/k8s/secret.yaml') };
    assert.ok(['REDIS_CLUSTER_NODES', 'REDIS_CLUSTER_TLS', 'REDIS_CLUSTER_USERNAME', 'DATABASE_READ_URL', 'DATABASE_READ_YOUR_WRITES_MS'].every((n) => n in variants), Object.keys(variants).join(', '));
    for (const name of Object.keys(variants)) assert.ok(known.has(name), `${name} is not a Strata variable (src/config.ts)`);
    // The cluster replaces REDIS_URL, as the comment says (both set is refused at start).
    const { REDIS_URL: _replaced, ...rest } = env;
    const loaded = loadConfig({ ...rest, ...variants });
    assert.deepEqual([loaded.platform.redisCluster?.nodes.length, loaded.platform.redisCluster?.tls, loaded.platform.redisCluster?.username], [3, true, 'strata']);
    assert.equal(loaded.readReplicas?.urls.length, 2);
  });

  it('k8s: probes hit /ready and /health on the container port, and both routes answer 200', async () => {
    const port = Number(env['PORT']);
    assert.deepEqual(gateway.ports, [{ name: 'http', containerPort: port }]);
    assert.equal(gateway.readinessProbe.httpGet.path, '/ready');
    assert.equal(gateway.livenessProbe.httpGet.path, '/health');
    assert.equal(gateway.startupProbe.httpGet.path, '/health');
    for (const probe of [gateway.readinessProbe, gateway.livenessProbe, gateway.startupProbe]) assert.equal(probe.httpGet.port, 'http');
    const app = await createTestApp('memory');
    try {
      for (const path of ['/ready', '/health']) assert.equal((await app.yoga.fetch(`http://strata${path}`)).status, 200, path);
    } finally {
      await app.close();
    }
  });

  it('k8s: the Service, PodDisruptionBudget and autoscaler select the Deployment and its port', () => {
    const labels = pod === undefined ? {} : deployment.spec.template.metadata.labels;
    assert.deepEqual(deployment.spec.selector.matchLabels, labels);
    const service = one('Service');
    assert.deepEqual(service.spec.selector, labels);
    assert.equal(service.spec.ports[0].targetPort, 'http');
    const pdb = one('PodDisruptionBudget');
    assert.deepEqual(pdb.spec.selector.matchLabels, labels);
    assert.ok(pdb.spec.maxUnavailable < deployment.spec.replicas, 'a drain never takes every replica');
    const hpa = one('HorizontalPodAutoscaler');
    assert.deepEqual([hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name], ['Deployment', deployment.metadata.name]);
    assert.ok(hpa.spec.minReplicas >= deployment.spec.replicas - pdb.spec.maxUnavailable);
    const connections = hpa.spec.maxReplicas * Number(env['DATABASE_POOL_MAX']);
    assert.ok(connections <= CONNECTION_BUDGET, `maxReplicas x DATABASE_POOL_MAX = ${connections} PostgreSQL connections`);
  });

  it('k8s: the grace period covers preStop plus SHUTDOWN_GRACE_MS; containers run the image\'s compiled CLI (start:built); resources are set', () => {
    const preStopSeconds = Number(gateway.lifecycle.preStop.exec.command[1]);
    const graceMs = Number(env['SHUTDOWN_GRACE_MS']);
    assert.ok(pod.terminationGracePeriodSeconds * 1000 >= preStopSeconds * 1000 + graceMs + 2000, 'terminationGracePeriodSeconds leaves a margin');
    assert.deepEqual(gateway.command, imageCommand('serve'));
    assert.deepEqual(pod.initContainers[0].command, imageCommand('migrate'));
    assert.equal(env['MIGRATE_ON_START'], 'false', 'the init container migrates, the gateways do not');
    assert.equal(pod.initContainers[0].image, gateway.image);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory, `${c.name} resources`);
    }
    assert.equal(pod.volumes.find((v: Doc) => v.name === 'data').emptyDir !== undefined, true);
    assert.equal(gateway.volumeMounts.find((m: Doc) => m.name === 'data').mountPath, env['DATA_DIR']);
    assert.equal(env['BLOB_BACKEND'], 's3', 'replicas on different nodes share no disk');
  });

  it('compose: gateways use known variables, /ready on their port, a stop grace over SHUTDOWN_GRACE_MS, and the image\'s compiled CLI (start:built)', () => {
    const { gateway: g, migrate } = compose.services;
    const genv = g.environment as Record<string, string>;
    for (const name of Object.keys(genv)) assert.ok(known.has(name), `${name} is not a Strata variable`);
    const { STRATA_API_KEYS_FILE: _file, ...loadable } = interpolate(genv);
    assert.equal(loadConfig(loadable).port, 4000);
    assert.deepEqual(migrate.environment, g.environment);
    assert.deepEqual(g.command, imageCommand('serve'));
    assert.deepEqual(migrate.command, imageCommand('migrate'));
    assert.equal(g.image, migrate.image);
    assert.match(g.healthcheck.test.join(' '), new RegExp(`http://127\\.0\\.0\\.1:${genv['PORT']}/ready`));
    assert.match(g.ports[0], new RegExp(`:${genv['PORT']}$`));
    const [low, high] = /^(\d+)-(\d+):/.exec(g.ports[0])!.slice(1).map(Number);
    assert.equal(high! - low! + 1, g.deploy.replicas, 'one host port per replica');
    assert.ok(parseInt(g.stop_grace_period, 10) * 1000 > Number(genv['SHUTDOWN_GRACE_MS']));
    assert.ok(g.deploy.replicas * Number(genv['DATABASE_POOL_MAX']) <= CONNECTION_BUDGET);
    assert.equal(g.depends_on.migrate.condition, 'service_completed_successfully');
    assert.ok(existsSync(new URL(`deploy/${compose.secrets.strata_api_keys.file}`, ROOT)), 'the API keys file exists');
    // The keys file parses in Strata's STRATA_API_KEYS_FILE format.
    const keysFile = new URL(`deploy/${compose.secrets.strata_api_keys.file}`, ROOT).pathname;
    assert.equal(loadConfig({ STRATA_API_KEYS_FILE: keysFile }).security.keys.length, 1);
  });

  it('compose: the commented Redis Cluster and read replica variants load once switched on; passwords come from the shell', () => {
    const variants = commentedVariants('deploy/compose.yaml');
    assert.ok(['REDIS_CLUSTER_NODES', 'REDIS_CLUSTER_PASSWORD', 'DATABASE_READ_URL'].every((n) => n in variants), Object.keys(variants).join(', '));
    for (const name of Object.keys(variants)) assert.ok(known.has(name), `${name} is not a Strata variable`);
    // Compose has no Secret for env: a credential is never a literal, only a ${...} from the shell.
    const genv = compose.services.gateway.environment as Record<string, string>;
    for (const [name, value] of Object.entries({ ...genv, ...variants })) {
      if (SECRET_NAME.test(name) || carriesCredentials(value)) assert.match(value, /\$\{STRATA_[A-Z_]+_PASSWORD:-/, `${name}: the password from the shell`);
    }
    const { STRATA_API_KEYS_FILE: _file, REDIS_URL: _replaced, ...rest } = interpolate(genv);
    const loaded = loadConfig({ ...rest, ...interpolate(variants) });
    assert.deepEqual([loaded.platform.redisCluster?.nodes.length, loaded.platform.redisCluster?.password, loaded.readReplicas?.urls.length], [3, 'strata', 1]);
  });

  it('Dockerfile: a node:20-slim stage runs npm run build; the image has production dependencies and the compiled server, and runs npm run start:built', () => {
    const [build, image, ...more] = dockerStages();
    assert.equal(more.length, 0, 'two stages');
    assert.match(build![0]!, /^FROM node:20-slim AS build$/);
    assert.match(image![0]!, /^FROM node:20-slim$/);
    // The build stage: every dependency (TypeScript is a dev dependency), what the build reads, the build.
    assert.ok(build!.includes('RUN npm ci --no-audit --no-fund'), 'the build stage installs dev dependencies too');
    assert.ok('typescript' in pkg.devDependencies);
    assert.equal(pkg.scripts['build'], 'node scripts/build.mjs');
    assert.ok(build!.includes('RUN npm run build'));
    // scripts/build.mjs copies these next to the emitted code: they must be in the build stage.
    const runtimeFiles = [.../const RUNTIME_FILES = \[([\s\S]*?)\];/.exec(read('scripts/build.mjs'))![1]!.matchAll(/^\s*'([^']+)'/gm)].map((m) => m[1]!);
    assert.ok(runtimeFiles.includes('migrations') && runtimeFiles.includes('src/rest/operations.graphql'), runtimeFiles.join(', '));
    const built = copiedFromContext(build!);
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs', 'src', 'migrations', ...runtimeFiles.map((p) => p.split('/')[0]!)]) {
      assert.ok(built.includes(path), `the build stage copies ${path}`);
      assert.ok(existsSync(new URL(path, ROOT)), `${path} exists`);
    }
    // The image: production dependencies only, the build's dist/ where start:built looks for it.
    assert.ok(image!.some((l) => /^RUN npm ci --omit=dev\b/.test(l)));
    const workdir = build!.find((l) => l.startsWith('WORKDIR '))!.slice(8);
    assert.equal(image!.find((l) => l.startsWith('WORKDIR '))!.slice(8), workdir);
    assert.ok(image!.includes(`COPY --from=build ${workdir}/dist ./dist`), 'the image takes dist/ from the build stage');
    assert.match(commandOf('start:built')[1]!, /^dist\//);
    for (const path of ['package.json', 'package-lock.json', 'persisted-documents.json']) assert.ok(copiedFromContext(image!).includes(path), `the image copies ${path}`);
    const cmd = image!.find((l) => l.startsWith('CMD '))!;
    assert.deepEqual(JSON.parse(cmd.slice(4)), commandOf('start:built'));
    assert.deepEqual([commandOf('start').at(-1), commandOf('start:built').at(-1)], ['serve', 'serve'], 'npm start and start:built run the same command');
    assert.match(image!.find((l) => l.startsWith('ENV HOST='))!, /PORT=4000\b/);
  });

  // The image's dist/ mirrors src/ (tsc keeps the layout) plus the files scripts/build.mjs copies,
  // which test/api/built-server.test.ts proves by running it; this checks the build stage's input.
  it('Dockerfile: every relative import and file URL in src/ stays inside what the build stage copies (and .dockerignore lets through)', () => {
    const root = fileURLToPath(ROOT);
    const copied = copiedFromContext(dockerStages()[0]!);
    const allowed = read('deploy/Dockerfile.dockerignore').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/\*\*$/, ''));
    for (const path of copied) assert.ok(allowed.includes(path), `.dockerignore lets ${path} through`);
    const outside: string[] = [];
    const scanned: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(tsx?|m?js)$/.test(entry.name)) scanned.push(path);
      }
    };
    walk(join(root, 'src'));
    let references = 0;
    for (const file of scanned) {
      const text = readFileSync(file, 'utf8');
      // Static and dynamic imports, re-exports, side-effect imports, and files read by URL
      // (new URL('./operations.graphql', import.meta.url)): all must be in the build stage.
      const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+|new URL\(\s*)'(\.{1,2}\/[^']*)'/gm)].map((m) => m[1]!);
      for (const spec of specs) {
        references++;
        const target = relative(root, resolve(dirname(file), spec));
        const top = target.split(sep)[0]!;
        const where = `${relative(root, file)}: '${spec}' -> ${target}`;
        if (target.startsWith('..') || !copied.includes(top) || !allowed.includes(top)) outside.push(`${where} (not copied into the image)`);
        else if (!existsSync(join(root, target))) outside.push(`${where} (no such file)`);
      }
    }
    assert.ok(references > 300, `found ${references} relative references in ${scanned.length} files (the scan works)`);
    assert.deepEqual(outside, []);
  });

  it('Dockerfile: every package the sources import is a production dependency (npm ci --omit=dev keeps it)', () => {
    const missing = new Set<string>();
    const walk = (dir: URL) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(new URL(`${entry.name}/`, dir));
        else if (/\.tsx?$/.test(entry.name)) {
          const text = readFileSync(new URL(entry.name, dir), 'utf8');
          for (const m of text.matchAll(/(?:^import[^'"]*?from\s+|^export[^'"]*?from\s+|import\()\s*'([^'.][^']*)'/gm)) {
            if (/^import type\b|^export type\b/.test(m[0])) continue;
            const spec = m[1]!;
            if (spec.startsWith('node:')) continue;
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
            if (!(name in pkg.dependencies)) missing.add(`${name} (${entry.name})`);
          }
        }
      }
    };
    walk(new URL('src/', ROOT));
    assert.deepEqual([...missing], []);
  });
});
