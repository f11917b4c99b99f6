/*
 * What runs in the cluster by default: a non-root, read-only, capability-free pod with probes
 * on the agent's health endpoints and a metrics port.
 */
import { agentContainer, findOne, objectsOfKind, renderChart } from '../src';

const values = {
  agent: {
    backendURL: 'https://backstage.example.com',
    credential: { existingSecret: 'agent-credential' },
    gitops: { tool: 'fluxcd' },
  },
};

describe('secure defaults', () => {
  it('runs as non-root with seccomp RuntimeDefault', async () => {
    const pod = findOne(await renderChart({ values }), 'Deployment').spec
      .template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostPID).toBeUndefined();
  });

  it('has a read-only root filesystem, no privilege escalation and no capabilities', async () => {
    const container = agentContainer(await renderChart({ values }));
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    // The only writable path is a size-limited scratch directory.
    expect(container.volumeMounts.filter((m: any) => !m.readOnly)).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
    ]);
  });

  it('probes /healthz and /readyz on the agent port, which also serves /metrics', async () => {
    const objects = await renderChart({
      values: { ...values, agent: { ...values.agent, port: 9100 } },
    });
    const container = agentContainer(objects);
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 9100, protocol: 'TCP' },
    ]);
    expect(container.livenessProbe.httpGet).toEqual({
      path: '/healthz',
      port: 'http',
    });
    expect(container.readinessProbe.httpGet).toEqual({
      path: '/readyz',
      port: 'http',
    });
    expect(
      container.env.find((e: any) => e.name === 'GITOPS_HTTP_PORT').value,
    ).toBe('9100');
    const service = findOne(objects, 'Service');
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 9100, targetPort: 'http', protocol: 'TCP' },
    ]);
    expect(service.spec.type).toBe('ClusterIP');
  });

  it('sets resource requests and a memory limit', async () => {
    expect(agentContainer(await renderChart({ values })).resources).toEqual({
      requests: { cpu: '50m', memory: '128Mi' },
      limits: { memory: '512Mi' },
    });
  });

  it('creates no ServiceMonitor unless asked, and a scrape of /metrics when asked', async () => {
    expect(
      objectsOfKind(await renderChart({ values }), 'ServiceMonitor'),
    ).toEqual([]);
    const objects = await renderChart({
      values: {
        ...values,
        metrics: {
          serviceMonitor: {
            enabled: true,
            interval: '15s',
            additionalLabels: { release: 'prom' },
          },
        },
      },
    });
    const monitor = findOne(objects, 'ServiceMonitor');
    expect(monitor.metadata.labels?.release).toBe('prom');
    expect(monitor.spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '15s' },
    ]);
    expect(monitor.spec.selector.matchLabels).toEqual(
      findOne(objects, 'Service').spec.selector,
    );
  });

  it('uses the chart appVersion as the image tag, or a pinned digest', async () => {
    expect(agentContainer(await renderChart({ values })).image).toBe(
      'shoehorn/gitops-agent:0.1.0',
    );
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(
      agentContainer(
        await renderChart({ values: { ...values, image: { digest } } }),
      ).image,
    ).toBe(`shoehorn/gitops-agent@${digest}`);
  });

  it('passes the downward-API pod identity for leader election', async () => {
    const env = agentContainer(await renderChart({ values })).env;
    expect(env.find((e: any) => e.name === 'POD_NAMESPACE').valueFrom).toEqual({
      fieldRef: { fieldPath: 'metadata.namespace' },
    });
    expect(env.find((e: any) => e.name === 'POD_NAME').valueFrom).toEqual({
      fieldRef: { fieldPath: 'metadata.name' },
    });
  });
});
