import { WATCHED_KINDS } from '@shoehorn/plugin-gitops-common';
import { unservedReason, versionsToProbe } from './servedVersion';

const KUSTOMIZATION = WATCHED_KINDS.find(k => k.kind === 'Kustomization')!;
const HELM_RELEASE = WATCHED_KINDS.find(k => k.kind === 'HelmRelease')!;

describe('choosing the served version to watch', () => {
  it('looks at the versions the agent reads newest first, whatever order the server lists them in', () => {
    expect(
      versionsToProbe(KUSTOMIZATION, ['v1beta2', 'v1', 'v1beta1']),
    ).toEqual({ readable: ['v1', 'v1beta2'], others: ['v1beta1'] });
    expect(
      versionsToProbe(HELM_RELEASE, ['v2beta1', 'v2beta2']).readable,
    ).toEqual(['v2beta2', 'v2beta1']);
  });

  it('has nothing to read in a group serving only versions it does not know', () => {
    expect(versionsToProbe(KUSTOMIZATION, ['v1alpha9'])).toEqual({
      readable: [],
      others: ['v1alpha9'],
    });
  });

  it('names the served versions and the ones the agent reads when none match', () => {
    expect(unservedReason(KUSTOMIZATION, ['v1alpha9'])).toBe(
      'kustomizations.kustomize.toolkit.fluxcd.io serves v1alpha9; this agent reads v1, v1beta2',
    );
    expect(unservedReason(HELM_RELEASE, [])).toBe(
      'CRD helmreleases.helm.toolkit.fluxcd.io is not installed',
    );
  });
});
