/*
 * A real Kubernetes control plane (etcd + kube-apiserver) for integration tests.
 *
 * API (reused by the chart and benchmark suites; keep it stable):
 *
 *   const cp = await startControlPlane({ crds: true });
 *   cp.server                       https URL of the kube-apiserver on 127.0.0.1 (random port)
 *   cp.caData                       base64 PEM of the CA that signed the serving certificate
 *   cp.adminToken                   bearer token of `admin` (group system:masters, bypasses RBAC)
 *   cp.kubeConfig                   a KubeConfig for admin (token auth)
 *   cp.createUserKubeConfig(user, groups)
 *                                   KubeConfig with a client certificate for any user/groups, e.g.
 *                                   ('system:serviceaccount:ns:sa', ['system:serviceaccounts']);
 *                                   subject to RBAC
 *   await cp.tokenFor(namespace, serviceAccount)
 *                                   a real ServiceAccount token (TokenRequest); creates the
 *                                   namespace and ServiceAccount when missing
 *   await cp.kubeConfigFor(namespace, serviceAccount)
 *                                   KubeConfig using that token
 *   await cp.applyCrds(names?)      applies agent/crds/*.yaml (or only the plurals given, e.g.
 *                                   ['applications']) and waits until they are Established
 *   await cp.applyCrdManifests(crds)
 *                                   the same for any CRD objects, e.g. the older versions:
 *                                   loadCrds(['kustomizations'], OLDER_CRD_DIR), or
 *                                   servingVersions(...) / renamedVersion(...) of them
 *   cp.crdDir                       the directory of the project's CRD manifests
 *   await cp.restart()              stops and starts kube-apiserver on the same port (etcd kept)
 *   await cp.stop()                 kills both processes and removes the working directory
 *
 * Binaries come from KUBEBUILDER_ASSETS (kube-apiserver, etcd), built once by
 * `bash scripts/build-tools.sh kube`. When they are missing this throws with that instruction:
 * the suite fails (never skips), locally and in CI (GITOPS_REQUIRE_TOOLS=1).
 *
 * The CRDs follow upstream: Flux kinds have the status subresource (write status with
 * replaceNamespacedCustomObjectStatus / patch on /status); the ArgoCD Application has none.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  AuthenticationV1TokenRequest,
  CoreV1Api,
  KubeConfig,
  V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

const execFileAsync = promisify(execFile);

/** Directory of the project's own CRD manifests of the watched kinds, kept beside the agent. */
// The kit runs from the repository sources only, so __dirname is stable here.
// eslint-disable-next-line no-restricted-syntax
export const CRD_DIR = path.resolve(__dirname, '../../../agent/crds');

/**
 * The same CRDs serving only an older version (Kustomization and GitRepository v1beta2,
 * HelmRelease v2beta2), as clusters of older Flux releases do.
 */
export const OLDER_CRD_DIR = path.join(CRD_DIR, 'older');

/** Options of {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /** Apply all project CRDs after start (default false). */
  crds?: boolean;
  /** Extra kube-apiserver flags. */
  apiServerFlags?: string[];
  /** How long to wait for the apiserver to become ready (default 90 s). */
  startTimeoutMs?: number;
}

/** A running control plane; see the file comment for the API. */
export interface ControlPlane {
  server: string;
  caData: string;
  adminToken: string;
  kubeConfig: KubeConfig;
  crdDir: string;
  createUserKubeConfig(user: string, groups?: string[]): KubeConfig;
  tokenFor(namespace: string, serviceAccount: string): Promise<string>;
  kubeConfigFor(namespace: string, serviceAccount: string): Promise<KubeConfig>;
  applyCrds(plurals?: string[]): Promise<void>;
  applyCrdManifests(crds: V1CustomResourceDefinition[]): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Finds kube-apiserver and etcd, or throws saying how to get them. */
export function findControlPlaneBinaries(): {
  apiServer: string;
  etcd: string;
} {
  const assets = process.env.KUBEBUILDER_ASSETS;
  const apiServer =
    process.env.TEST_ASSET_KUBE_APISERVER ??
    (assets ? path.join(assets, 'kube-apiserver') : undefined);
  const etcd =
    process.env.TEST_ASSET_ETCD ??
    (assets ? path.join(assets, 'etcd') : undefined);
  const missing = [
    ['kube-apiserver', apiServer],
    ['etcd', etcd],
  ].filter(([, p]) => !p || !isExecutable(p));
  if (missing.length > 0 || !apiServer || !etcd) {
    throw new Error(
      [
        '',
        '*** The agent integration tests need a real kube-apiserver and etcd. ***',
        `Missing: ${missing
          .map(([n, p]) => `${n} (${p ?? 'KUBEBUILDER_ASSETS unset'})`)
          .join(', ')}.`,
        'Build them once (cached outside the repository) and export the path:',
        '  eval "$(bash scripts/build-tools.sh kube)"',
        'then run the tests again.',
        '',
      ].join('\n'),
    );
  }
  return { apiServer, etcd };
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd });
  } catch (e) {
    throw new Error(
      `openssl ${args.join(' ')} failed: ${(e as any).stderr ?? e}`,
    );
  }
}

/** Creates a CA and a certificate signed by it; returns the PEM file paths. */
async function writeCertificates(dir: string) {
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=gitops-test-ca',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    ],
    dir,
  );
  await fs.promises.writeFile(
    path.join(dir, 'serving.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  await openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=kube-apiserver',
      '-keyout',
      'serving.key',
      '-out',
      'serving.csr',
    ],
    dir,
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'serving.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'serving.ext',
      '-out',
      'serving.crt',
    ],
    dir,
  );
  await openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  await openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
}

function clientCertificate(
  dir: string,
  user: string,
  groups: string[],
): { cert: string; key: string } {
  // Synchronous so createUserKubeConfig stays a plain function for callers.
  const id = `user-${Math.random().toString(36).slice(2)}`;
  const subject = `/CN=${escapeDn(user)}${groups
    .map(g => `/O=${escapeDn(g)}`)
    .join('')}`;
  const { execFileSync } =
    require('node:child_process') as typeof import('node:child_process');
  execFileSync(
    'openssl',
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${id}.key`,
      '-out',
      `${id}.csr`,
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  fs.writeFileSync(
    path.join(dir, `${id}.ext`),
    'extendedKeyUsage=clientAuth\n',
  );
  execFileSync(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      `${id}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${id}.ext`,
      '-out',
      `${id}.crt`,
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  return {
    cert: fs.readFileSync(path.join(dir, `${id}.crt`), 'utf8'),
    key: fs.readFileSync(path.join(dir, `${id}.key`), 'utf8'),
  };
}

function escapeDn(value: string): string {
  return value.replace(/[/\\=+,]/g, c => `\\${c}`);
}

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

function makeKubeConfig(
  server: string,
  caPem: string,
  user: Record<string, string>,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'test', server, caData: b64(caPem), skipTLSVerify: false },
    ],
    users: [{ name: 'user', ...user }],
    contexts: [{ name: 'test', cluster: 'test', user: 'user' }],
    currentContext: 'test',
  });
  return kc;
}

class ManagedProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly binary: string,
    private readonly args: string[],
    private readonly logFile: string,
  ) {}

  start() {
    const log = fs.openSync(this.logFile, 'a');
    const child = spawn(this.binary, this.args, {
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.child = child;
    // Never leave etcd or kube-apiserver running after the test process ends.
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    child.once('exit', () => process.off('exit', kill));
    this.exited = new Promise(resolve => child.once('exit', () => resolve()));
  }

  get running() {
    return (
      !!this.child &&
      this.child.exitCode === null &&
      this.child.signalCode === null
    );
  }

  logTail(): string {
    try {
      return fs
        .readFileSync(this.logFile, 'utf8')
        .split('\n')
        .slice(-30)
        .join('\n');
    } catch {
      return '';
    }
  }

  describeExit(): string {
    return `${this.name} exited (code ${this.child?.exitCode}, signal ${
      this.child?.signalCode
    }); log tail:\n${this.logTail()}`;
  }

  async stop() {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(killer);
  }
}

async function getStatus(
  url: string,
  token: string,
  ca: string,
): Promise<number> {
  return new Promise(resolve => {
    const req = https.get(
      url,
      { ca, headers: { authorization: `Bearer ${token}` }, timeout: 2000 },
      res => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  fail: () => string | undefined,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    const failure = fail();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (Date.now() > deadline)
      throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await new Promise(r => setTimeout(r, 200));
  }
}

async function rawRequest(
  server: string,
  token: string,
  ca: string,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${server}${urlPath}`,
      {
        method,
        ca,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // non-JSON error bodies are returned as text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

/** Reads the project's CRD manifests (or those in `dir`), optionally only the given plurals. */
export function loadCrds(
  plurals?: string[],
  dir: string = CRD_DIR,
): V1CustomResourceDefinition[] {
  const crds: V1CustomResourceDefinition[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort()) {
    for (const doc of parseAllDocuments(
      fs.readFileSync(path.join(dir, file), 'utf8'),
    )) {
      const crd = doc.toJS() as V1CustomResourceDefinition;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      if (plurals && !plurals.includes(crd.spec.names.plural)) continue;
      crds.push(crd);
    }
  }
  return crds;
}

/**
 * One CRD serving every version of the given manifests of it (one version each, e.g. the
 * current and the older one), stored in the first one's version, as Flux releases that serve
 * both do.
 */
export function servingVersions(
  ...crds: V1CustomResourceDefinition[]
): V1CustomResourceDefinition {
  const [first, ...rest] = crds;
  return {
    ...first,
    spec: {
      ...first.spec,
      versions: [
        ...first.spec.versions,
        ...rest.flatMap(crd =>
          crd.spec.versions.map(v => ({ ...v, storage: false })),
        ),
      ],
    },
  };
}

/** The CRD with its one version served under another name, e.g. one the agent does not know. */
export function renamedVersion(
  crd: V1CustomResourceDefinition,
  name: string,
): V1CustomResourceDefinition {
  return {
    ...crd,
    spec: {
      ...crd.spec,
      versions: crd.spec.versions.map(v => ({ ...v, name })),
    },
  };
}

/** Starts etcd and kube-apiserver on free loopback ports with generated certificates. */
export async function startControlPlane(
  options: ControlPlaneOptions = {},
): Promise<ControlPlane> {
  const bin = findControlPlaneBinaries();
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'gitops-cp-'));
  const startTimeoutMs = options.startTimeoutMs ?? 90_000;
  await writeCertificates(dir);
  const adminToken = `admin-${Math.random()
    .toString(36)
    .slice(2)}${Date.now().toString(36)}`;
  await fs.promises.writeFile(
    path.join(dir, 'tokens.csv'),
    `${adminToken},admin,admin-uid,"system:masters"\n`,
  );
  const caPem = await fs.promises.readFile(path.join(dir, 'ca.crt'), 'utf8');

  const [etcdPort, peerPort, apiPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const etcd = new ManagedProcess(
    'etcd',
    bin.etcd,
    [
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ],
    path.join(dir, 'etcd.log'),
  );
  const server = `https://127.0.0.1:${apiPort}`;
  const apiServer = new ManagedProcess(
    'kube-apiserver',
    bin.apiServer,
    [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${dir}`,
      `--tls-cert-file=${path.join(dir, 'serving.crt')}`,
      `--tls-private-key-file=${path.join(dir, 'serving.key')}`,
      `--client-ca-file=${path.join(dir, 'ca.crt')}`,
      `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
      `--service-account-issuer=${server}/`,
      `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      '--endpoint-reconciler-type=none',
      ...(options.apiServerFlags ?? []),
    ],
    path.join(dir, 'kube-apiserver.log'),
  );

  const waitApiServer = () =>
    waitFor(
      'kube-apiserver',
      startTimeoutMs,
      async () =>
        (await getStatus(`${server}/readyz`, adminToken, caPem)) === 200,
      () => (apiServer.running ? undefined : apiServer.describeExit()),
    );

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await apiServer.stop();
    await etcd.stop();
    await fs.promises.rm(dir, { recursive: true, force: true });
  };

  try {
    etcd.start();
    await waitFor(
      'etcd',
      startTimeoutMs,
      async () =>
        new Promise<boolean>(resolve => {
          const sock = net.connect(etcdPort, '127.0.0.1', () => {
            sock.destroy();
            resolve(true);
          });
          sock.on('error', () => resolve(false));
        }),
      () => (etcd.running ? undefined : etcd.describeExit()),
    );
    apiServer.start();
    await waitApiServer();
  } catch (e) {
    await stop();
    throw e;
  }

  const kubeConfig = makeKubeConfig(server, caPem, { token: adminToken });
  const core = kubeConfig.makeApiClient(CoreV1Api);

  const ensureServiceAccount = async (namespace: string, name: string) => {
    await core
      .createNamespace({ body: { metadata: { name: namespace } } })
      .catch(ignoreConflict);
    await core
      .createNamespacedServiceAccount({
        namespace,
        body: { metadata: { name } },
      })
      .catch(ignoreConflict);
  };

  const request = (method: string, urlPath: string, body?: unknown) =>
    rawRequest(server, adminToken, caPem, method, urlPath, body);

  const waitCrdServed = (crd: V1CustomResourceDefinition) => {
    const version =
      crd.spec.versions.find(v => v.storage)?.name ?? crd.spec.versions[0].name;
    const resource = `/apis/${crd.spec.group}/${version}/${crd.spec.names.plural}?limit=1`;
    return waitFor(
      `CRD ${crd.metadata!.name}`,
      30_000,
      async () => (await request('GET', resource)).status === 200,
      () => undefined,
    );
  };

  const tokenFor = async (namespace: string, serviceAccount: string) => {
    await ensureServiceAccount(namespace, serviceAccount);
    const body: AuthenticationV1TokenRequest = {
      spec: { audiences: [], expirationSeconds: 86400 },
    };
    const res = await core.createNamespacedServiceAccountToken({
      name: serviceAccount,
      namespace,
      body,
    });
    return res.status!.token as string;
  };

  const cp: ControlPlane = {
    server,
    caData: b64(caPem),
    adminToken,
    kubeConfig,
    crdDir: CRD_DIR,
    createUserKubeConfig(user, groups = []) {
      const { cert, key } = clientCertificate(dir, user, groups);
      return makeKubeConfig(server, caPem, {
        certData: b64(cert),
        keyData: b64(key),
      });
    },
    tokenFor,
    async kubeConfigFor(namespace, serviceAccount) {
      return makeKubeConfig(server, caPem, {
        token: await tokenFor(namespace, serviceAccount),
      });
    },
    applyCrds(plurals) {
      return cp.applyCrdManifests(loadCrds(plurals));
    },
    async applyCrdManifests(manifests) {
      // Raw JSON: the typed client would drop the x-kubernetes-* schema keys it cannot map.
      const crds = structuredClone(manifests);
      const base = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
      for (const crd of crds) {
        const name = crd.metadata!.name!;
        const created = await request('POST', base, crd);
        if (created.status === 409) {
          const existing = await request('GET', `${base}/${name}`);
          crd.metadata!.resourceVersion =
            existing.body.metadata.resourceVersion;
          const replaced = await request('PUT', `${base}/${name}`, crd);
          if (replaced.status !== 200)
            throw new Error(
              `replace CRD ${name}: ${JSON.stringify(replaced.body)}`,
            );
        } else if (created.status !== 201) {
          throw new Error(
            `create CRD ${name}: ${JSON.stringify(created.body)}`,
          );
        }
      }
      for (const crd of crds) await waitCrdServed(crd);
    },
    async restart() {
      await apiServer.stop();
      apiServer.start();
      await waitApiServer();
      // /readyz turns 200 before custom resource storage is back: wait for each served CRD.
      const list = await request(
        'GET',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      );
      for (const crd of list.body.items ?? []) await waitCrdServed(crd);
    },
    stop,
  };
  if (options.crds) await cp.applyCrds();
  return cp;
}

function isConflict(e: unknown): boolean {
  return (e as any)?.code === 409 || (e as any)?.statusCode === 409;
}

function ignoreConflict(e: unknown) {
  if (!isConflict(e)) throw e;
}
