/*
 * `helm lint --strict` on every example values file under ci/, the way chart CI does it, and a
 * render of each one so the examples stay installable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHART_DIR, KUBE_VERSION, findOne, helm, renderChart } from '../src';

const ciFiles = fs
  .readdirSync(path.join(CHART_DIR, 'ci'))
  .filter(f => f.endsWith('.yaml'))
  .sort();

describe('helm lint', () => {
  it('has example values for each tool and for no tool', () => {
    expect(ciFiles).toEqual([
      'argocd-any-namespace-values.yaml',
      'argocd-values.yaml',
      'fluxcd-namespaced-readonly-values.yaml',
      'fluxcd-values.yaml',
      'no-tool-values.yaml',
    ]);
  });

  it.each(ciFiles)(
    'ci/%s lints cleanly with --strict and renders',
    async file => {
      const result = await helm([
        'lint',
        CHART_DIR,
        '--strict',
        '--kube-version',
        KUBE_VERSION,
        '-f',
        path.join(CHART_DIR, 'ci', file),
      ]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(result.code).toBe(0);

      const objects = await renderChart({ valuesFiles: [`ci/${file}`] });
      expect(findOne(objects, 'Deployment').metadata.name).toBe(
        'gitops-gitops-agent',
      );
      expect(findOne(objects, 'ServiceAccount').metadata.name).toBe(
        'gitops-gitops-agent',
      );
    },
  );

  it('reports the missing backend URL and credential on the bare defaults', async () => {
    // helm lint logs template `fail` calls instead of failing; install and template do fail.
    const result = await helm([
      'lint',
      CHART_DIR,
      '--kube-version',
      KUBE_VERSION,
    ]);
    expect(result.stdout + result.stderr).toContain(
      'agent.backendURL is required',
    );
    expect(result.stdout + result.stderr).toContain(
      'agent.credential: set existingSecret',
    );
  });

  it('example values files carry no token', () => {
    for (const file of ciFiles) {
      const text = fs.readFileSync(path.join(CHART_DIR, 'ci', file), 'utf8');
      expect(text).not.toMatch(/^\s*token:\s*\S/m);
    }
  });
});
