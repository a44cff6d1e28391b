/**
 * EC2NodeClass and NodePool builders against the CRDs of the pinned Karpenter release, plus the
 * version pins. Golden YAML of the defaults under __golden__/karpenter/.
 */
import {
  Ec2NodeClassOptions,
  KARPENTER_DISCOVERY_TAG_KEY,
  NodePool,
  NodePoolOptions,
  NodeSelectorRequirement,
  buildEc2NodeClass,
  buildNodePool,
  prefixDelegationExcludedSizes,
  toJsonObject,
} from '../constructs/karpenter/node-resources';
import {
  DEFAULT_AL2023_AMI_ALIAS,
  KARPENTER_CHART_NAME,
  KARPENTER_CHART_REPOSITORY,
  KARPENTER_DEFAULT_VERSION,
  SUPPORTED_KARPENTER_VERSIONS,
  assertSupportedKarpenterVersion,
} from '../constructs/karpenter/versions';
import { CILIUM_STARTUP_TAINT } from '../bpf/cilium-values';
import { expectYamlGolden } from './support/yaml';
import { upstreamYaml, validateCustomResource } from './support/upstream';
import { thrown } from './support/errors';

const NODEPOOL_CRD = ['karpenter', KARPENTER_DEFAULT_VERSION, 'karpenter.sh_nodepools.yaml'];
const NODECLASS_CRD = ['karpenter', KARPENTER_DEFAULT_VERSION, 'karpenter.k8s.aws_ec2nodeclasses.yaml'];

const CLASS: Ec2NodeClassOptions = { clusterName: 'demo', nodeRoleName: 'demo-karpenter-node', prefixDelegation: false };
const POOL: NodePoolOptions = { prefixDelegation: false };

function requirement(pool: NodePool, key: string): NodeSelectorRequirement | undefined {
  return pool.spec.template.spec.requirements.find((r) => r.key === key);
}


// ---------------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------------

describe('versions', () => {
  test('the default version is supported and is the pinned chart values image tag', () => {
    const values = upstreamYaml('karpenter', KARPENTER_DEFAULT_VERSION, 'values.yaml') as { controller: { image: { tag: string } } };
    expect(SUPPORTED_KARPENTER_VERSIONS).toContain(KARPENTER_DEFAULT_VERSION);
    expect(values.controller.image.tag).toBe(KARPENTER_DEFAULT_VERSION);
  });

  test('the chart is the OCI chart of the getting-started guide', () => {
    expect(`${KARPENTER_CHART_REPOSITORY}/${KARPENTER_CHART_NAME}`).toBe('oci://public.ecr.aws/karpenter/karpenter');
  });

  test('an unsupported version is refused with the supported ones listed', () => {
    expect(() => assertSupportedKarpenterVersion('1.0.0', 'karpenter.version')).toThrow(
      'karpenter.version: "1.0.0" is not valid; allowed: one of 1.14.1',
    );
  });

  test('a supported version passes', () => {
    expect(() => assertSupportedKarpenterVersion('1.14.1')).not.toThrow();
  });

  test('the default AMI alias is a dated AL2023 release', () => {
    expect(DEFAULT_AL2023_AMI_ALIAS).toMatch(/^al2023@v\d{8}$/);
  });
});

// ---------------------------------------------------------------------------------------------
// EC2NodeClass
// ---------------------------------------------------------------------------------------------

describe('buildEc2NodeClass', () => {
  test('default validates against the CRD', () => {
    expect(validateCustomResource(NODECLASS_CRD, buildEc2NodeClass(CLASS))).toEqual([]);
  });

  test('default golden YAML', () => {
    expectYamlGolden('karpenter/ec2nodeclass-default.yaml', buildEc2NodeClass(CLASS));
  });

  test('customised validates against the CRD', () => {
    // WHEN
    const nodeClass = buildEc2NodeClass({
      ...CLASS,
      name: 'gpu-free',
      prefixDelegation: true,
      maxPods: 200,
      amiAlias: 'al2023@latest',
      rootVolumeSize: '120Gi',
      kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      tags: { team: 'platform' },
    });
    // THEN
    expect(validateCustomResource(NODECLASS_CRD, nodeClass)).toEqual([]);
    expect(nodeClass.spec.blockDeviceMappings[0].ebs).toMatchObject({ volumeSize: '120Gi', encrypted: true, kmsKeyID: expect.stringContaining(':key/') });
    expect(nodeClass.spec.tags).toEqual({ team: 'platform' });
  });

  test('pins the default AL2023 alias', () => {
    expect(buildEc2NodeClass(CLASS).spec.amiSelectorTerms).toEqual([{ alias: DEFAULT_AL2023_AMI_ALIAS }]);
  });

  test('selects subnets and security groups by the discovery tag', () => {
    const spec = buildEc2NodeClass(CLASS).spec;
    expect(spec.subnetSelectorTerms).toEqual([{ tags: { [KARPENTER_DISCOVERY_TAG_KEY]: 'demo' } }]);
    expect(spec.securityGroupSelectorTerms).toEqual([{ tags: { [KARPENTER_DISCOVERY_TAG_KEY]: 'demo' } }]);
  });

  test('requires IMDSv2 with a hop limit of 1', () => {
    expect(buildEc2NodeClass(CLASS).spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' });
  });

  test('root volume is an encrypted 50Gi gp3 on /dev/xvda', () => {
    expect(buildEc2NodeClass(CLASS).spec.blockDeviceMappings).toEqual([
      { deviceName: '/dev/xvda', rootVolume: true, ebs: { volumeSize: '50Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } },
    ]);
  });

  test.each(['al2@v20240625', 'bottlerocket@v1.10.0', 'windows2022@latest', 'al2023', 'al2023@20260714', 'AL2023@v20260714'])(
    'refuses the non-AL2023 alias %s',
    (amiAlias) => {
      const e = thrown(() => buildEc2NodeClass({ ...CLASS, amiAlias }));
      expect(e.property).toBe('buildEc2NodeClass(options).amiAlias');
      expect(e.value).toBe(amiAlias);
      expect(e.message).toContain('allowed: an AL2023 alias, "al2023@v<YYYYMMDD>"');
    },
  );

  test('omits kubelet without prefix delegation or maxPods', () => {
    expect(buildEc2NodeClass(CLASS).spec.kubelet).toBeUndefined();
  });

  test('sets maxPods 110 with prefix delegation', () => {
    expect(buildEc2NodeClass({ ...CLASS, prefixDelegation: true }).spec.kubelet).toEqual({ maxPods: 110 });
  });

  test('keeps an explicit maxPods', () => {
    expect(buildEc2NodeClass({ ...CLASS, maxPods: 29 }).spec.kubelet).toEqual({ maxPods: 29 });
  });

  test('refuses a maxPods above the ceiling, through resolveMaxPods', () => {
    expect(() => buildEc2NodeClass({ ...CLASS, prefixDelegation: true, maxPods: 300 })).toThrow(
      'buildEc2NodeClass(options).maxPods: 300 is not valid; allowed: an integer from 1 to 250',
    );
  });

  test('names the property path the caller gives', () => {
    expect(() => buildEc2NodeClass({ ...CLASS, maxPods: 0 }, 'karpenter')).toThrow('karpenter.maxPods: 0');
  });

  test.each(['0Gi', '50', '-5Gi', '50Mi'])('refuses the root volume size %s', (rootVolumeSize) => {
    expect(() => buildEc2NodeClass({ ...CLASS, rootVolumeSize })).toThrow(`buildEc2NodeClass(options).rootVolumeSize: "${rootVolumeSize}" is not valid`);
  });

  test('refuses a tag Karpenter sets itself', () => {
    expect(() => buildEc2NodeClass({ ...CLASS, tags: { 'kubernetes.io/cluster/demo': 'owned' } })).toThrow(
      'buildEc2NodeClass(options).tags["kubernetes.io/cluster/demo"]: "kubernetes.io/cluster/demo" is not valid',
    );
  });

  test('refuses an empty role name', () => {
    expect(() => buildEc2NodeClass({ ...CLASS, nodeRoleName: '' })).toThrow('buildEc2NodeClass(options).nodeRoleName: "" is not valid');
  });
});

// ---------------------------------------------------------------------------------------------
// NodePool
// ---------------------------------------------------------------------------------------------

describe('buildNodePool', () => {
  test('default validates against the CRD', () => {
    expect(validateCustomResource(NODEPOOL_CRD, buildNodePool(POOL))).toEqual([]);
  });

  test('default golden YAML', () => {
    expectYamlGolden('karpenter/nodepool-default.yaml', buildNodePool(POOL));
  });

  test('customised validates against the CRD', () => {
    // WHEN
    const pool = buildNodePool({
      name: 'batch',
      nodeClassName: 'batch',
      prefixDelegation: true,
      architectures: ['arm64'],
      capacityTypes: ['spot'],
      instanceCategories: ['c', 'm'],
      instanceTypes: ['c7g.large', 'm7g.large'],
      requirements: [{ key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['5'] }],
      startupTaints: [CILIUM_STARTUP_TAINT, { key: 'example.com/agent-not-ready', effect: 'NoSchedule' }],
      taints: [{ key: 'workload', value: 'batch', effect: 'NoSchedule' }],
      labels: { workload: 'batch' },
      limits: { cpu: '64', memory: '256Gi' },
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: '5m',
      expireAfter: 'Never',
      terminationGracePeriod: '48h',
    });
    // THEN
    expect(validateCustomResource(NODEPOOL_CRD, pool)).toEqual([]);
    expect(pool.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'batch' });
    expect(requirement(pool, 'node.kubernetes.io/instance-type')?.values).toEqual(['c7g.large', 'm7g.large']);
  });

  test('defaults: refs the default class, on-demand and spot, c/m/r, both architectures', () => {
    const pool = buildNodePool(POOL);
    expect(pool.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' });
    expect(requirement(pool, 'kubernetes.io/arch')).toEqual({ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] });
    expect(requirement(pool, 'karpenter.sh/capacity-type')?.values).toEqual(['on-demand', 'spot']);
    expect(requirement(pool, 'karpenter.k8s.aws/instance-category')?.values).toEqual(['c', 'm', 'r']);
    expect(pool.spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' });
    expect(pool.spec.template.spec.expireAfter).toBe('720h');
    expect(pool.spec.limits).toEqual({ cpu: 1000, memory: '1000Gi' });
  });

  describe('Cilium startup taint', () => {
    test('is present by default', () => {
      expect(buildNodePool(POOL).spec.template.spec.startupTaints).toEqual([
        { key: 'node.cilium.io/agent-not-ready', value: 'true', effect: 'NoExecute' },
      ]);
    });

    test('a startupTaints list without it is refused', () => {
      expect(() => buildNodePool({ ...POOL, startupTaints: [{ key: 'example.com/not-ready', effect: 'NoSchedule' }] })).toThrow(
        /buildNodePool\(options\)\.startupTaints: .* is not valid; allowed: a list containing \{key: "node\.cilium\.io\/agent-not-ready", value: "true", effect: "NoExecute"\}.*\(Cilium is the only CNI/,
      );
    });

    test('an empty startupTaints list is refused', () => {
      expect(() => buildNodePool({ ...POOL, startupTaints: [] })).toThrow('buildNodePool(options).startupTaints: [] is not valid');
    });

    test('the taint with another effect does not count', () => {
      expect(() => buildNodePool({ ...POOL, startupTaints: [{ ...CILIUM_STARTUP_TAINT, effect: 'NoSchedule' }] })).toThrow(
        'buildNodePool(options).startupTaints',
      );
    });

    test('the override with a reason lets the taint go', () => {
      // WHEN
      const pool = buildNodePool({
        ...POOL,
        startupTaints: [],
        allowMissingCiliumStartupTaint: { reason: 'nodes run only hostNetwork pods' },
      });
      // THEN
      expect(pool.spec.template.spec.startupTaints).toEqual([]);
      expect(validateCustomResource(NODEPOOL_CRD, pool)).toEqual([]);
    });

    test.each(['', '   '])('the override with the empty reason %j is refused', (reason) => {
      expect(() => buildNodePool({ ...POOL, startupTaints: [], allowMissingCiliumStartupTaint: { reason } })).toThrow(
        'buildNodePool(options).allowMissingCiliumStartupTaint.reason',
      );
    });

    test('the taint as a lasting taint is refused', () => {
      expect(() => buildNodePool({ ...POOL, taints: [CILIUM_STARTUP_TAINT] })).toThrow(
        'buildNodePool(options).taints[0].key: "node.cilium.io/agent-not-ready" is not valid',
      );
    });
  });

  describe('limits', () => {
    test.each<[string, number | string]>([
      ['cpu', 0],
      ['cpu', -4],
      ['cpu', '0'],
      ['cpu', '-1'],
      ['cpu', 'lots'],
      ['memory', '0Gi'],
      ['memory', '-10Gi'],
      ['memory', 'ten'],
      ['memory', Number.NaN],
    ])('refuses %s %p', (key, value) => {
      const e = thrown(() => buildNodePool({ ...POOL, limits: { [key]: value } }));
      expect(e.property).toBe(`buildNodePool(options).limits.${key}`);
      expect(e.message).toContain('allowed: a positive integer or Kubernetes quantity');
    });

    test('accepts fractional and suffixed positive quantities', () => {
      const pool = buildNodePool({ ...POOL, limits: { cpu: 1.5, memory: '512Mi' } });
      expect(pool.spec.limits).toEqual({ cpu: '1.5', memory: '512Mi' });
      expect(validateCustomResource(NODEPOOL_CRD, pool)).toEqual([]);
    });
  });

  describe('prefix delegation', () => {
    test('without it there is no Nitro or size requirement', () => {
      const pool = buildNodePool(POOL);
      expect(requirement(pool, 'karpenter.k8s.aws/instance-hypervisor')).toBeUndefined();
      expect(requirement(pool, 'karpenter.k8s.aws/instance-size')).toBeUndefined();
    });

    test('with it, only Nitro and no size too small for 110 pods', () => {
      const pool = buildNodePool({ ...POOL, prefixDelegation: true });
      expect(requirement(pool, 'karpenter.k8s.aws/instance-hypervisor')).toEqual({
        key: 'karpenter.k8s.aws/instance-hypervisor',
        operator: 'In',
        values: ['nitro'],
      });
      expect(requirement(pool, 'karpenter.k8s.aws/instance-size')).toEqual({
        key: 'karpenter.k8s.aws/instance-size',
        operator: 'NotIn',
        values: ['nano', 'micro', 'small', 'medium'],
      });
      expect(validateCustomResource(NODEPOOL_CRD, pool)).toEqual([]);
    });

    test('excluded sizes follow maxPods through addressablePods', () => {
      expect(prefixDelegationExcludedSizes(34)).toEqual([]);
      expect(prefixDelegationExcludedSizes(35)).toEqual(['nano', 'micro']);
      expect(prefixDelegationExcludedSizes(98)).toEqual(['nano', 'micro']);
      expect(prefixDelegationExcludedSizes(99)).toEqual(['nano', 'micro', 'small', 'medium']);
      expect(prefixDelegationExcludedSizes(250)).toEqual(['nano', 'micro', 'small', 'medium']);
    });

    test('a small maxPods keeps the small sizes', () => {
      const pool = buildNodePool({ ...POOL, prefixDelegation: true, maxPods: 64 });
      expect(requirement(pool, 'karpenter.k8s.aws/instance-size')?.values).toEqual(['nano', 'micro']);
    });
  });

  test('refuses a maxPods an instance type cannot address, through resolveMaxPods', () => {
    // m5.large: 3 ENIs x 10 IPv4 -> 29 pods without prefix delegation
    expect(() => buildNodePool({ ...POOL, maxPods: 50, instanceTypes: ['m5.large'] })).toThrow(
      'buildNodePool(options).maxPods: 50 is not valid; allowed: at most 29 on m5.large',
    );
  });

  test('refuses a maxPods above the ceiling', () => {
    expect(() => buildNodePool({ ...POOL, prefixDelegation: true, maxPods: 251 })).toThrow('buildNodePool(options).maxPods: 251 is not valid');
  });

  test.each<[keyof NodePoolOptions, unknown, string]>([
    ['architectures', ['x86_64'], 'buildNodePool(options).architectures[0]: "x86_64" is not valid; allowed: one of amd64, arm64'],
    ['capacityTypes', [], 'buildNodePool(options).capacityTypes: [] is not valid'],
    ['instanceCategories', [''], 'buildNodePool(options).instanceCategories[0]: "" is not valid'],
    ['consolidateAfter', '1d', 'buildNodePool(options).consolidateAfter: "1d" is not valid'],
    ['expireAfter', 'forever', 'buildNodePool(options).expireAfter: "forever" is not valid'],
    ['terminationGracePeriod', 'Never', 'buildNodePool(options).terminationGracePeriod: "Never" is not valid'],
    ['name', 'Default', 'buildNodePool(options).name: "Default" is not valid'],
  ])('refuses %s %j', (key, value, message) => {
    expect(() => buildNodePool({ ...POOL, [key]: value } as NodePoolOptions)).toThrow(message);
  });

  test('a requirement with an operator the CRD does not know, or no key, is refused where it was given', () => {
    const bad = (r: object): NodeSelectorRequirement[] => [{ key: 'k', operator: 'In', values: ['v'] }, r as NodeSelectorRequirement];
    expect(() => buildNodePool({ ...POOL, requirements: bad({ key: 'k', operator: 'Equals', values: ['v'] }) })).toThrow(
      'buildNodePool(options).requirements[1].operator: "Equals" is not valid; allowed: one of In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte',
    );
    expect(thrown(() => buildNodePool({ ...POOL, requirements: bad({ key: '', operator: 'Exists' }) })).property).toBe('buildNodePool(options).requirements[1].key');
  });

  test('the built objects hold no undefined member: their JSON form equals them, unset options leave no key', () => {
    const full = buildNodePool({ ...POOL, labels: { a: 'b' }, taints: [{ key: 't', effect: 'NoSchedule' }], terminationGracePeriod: '90m', requirements: [{ key: 'k', operator: 'Exists' }] });
    const built = [buildNodePool(POOL), full, buildEc2NodeClass(CLASS), buildEc2NodeClass({ ...CLASS, prefixDelegation: true, kmsKeyId: 'alias/nodes', tags: { team: 'a' } })];
    for (const b of built) expect(toJsonObject(b)).toStrictEqual(b);
    expect(Object.keys(buildNodePool(POOL).spec).sort()).toEqual(['disruption', 'limits', 'template']);
    expect(Object.keys(buildNodePool(POOL).spec.template.spec).sort()).toEqual(['expireAfter', 'nodeClassRef', 'requirements', 'startupTaints', 'terminationGracePeriod']);
    expect(Object.keys(buildEc2NodeClass(CLASS).spec)).not.toContain('kubelet');
  });
});
