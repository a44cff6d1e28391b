/**
 * Availability zones by zone ID. A zone ID (`use1-az1`) names the same physical zone in every
 * account, while zone names (`us-east-1a`) are mapped to zone IDs per account (EC2 User Guide,
 * "Availability Zone IDs"). Pure: no cdktf.
 */
import { ValidationError } from './errors';

/**
 * Zone IDs where EKS cannot place a control plane: `CreateCluster` with a subnet there fails with
 * UnsupportedAvailabilityZoneException. Source: eksctl `pkg/az/az.go`, `zoneIDsToAvoid`
 * (eksctl-io/eksctl commit 99984adb6164, 2026-08-21; cnn1-az4 was taken off the list in eksctl
 * #8240, 2025-02-21). A zone added to the list is one line here.
 */
export const EKS_UNSUPPORTED_ZONE_IDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'us-east-1': ['use1-az3'],
  'us-west-1': ['usw1-az2'],
  'ca-central-1': ['cac1-az3'],
});

/** The zone IDs of `region` that EKS refuses (empty for most regions). */
export function unsupportedZoneIds(region: string): readonly string[] {
  return EKS_UNSUPPORTED_ZONE_IDS[region] ?? [];
}

/**
 * Regions where fewer than three zones can hold an EKS cluster's subnets, with how many can:
 * us-west-1 has the zone IDs usw1-az1, usw1-az2 and usw1-az3 (AWS "Regions and Zones"), and EKS
 * refuses usw1-az2. Inferred from the zone-ID list; not read from an account here.
 */
export const EKS_ZONE_COUNT_LIMITS: Readonly<Record<string, number>> = Object.freeze({ 'us-west-1': 2 });

const DIRECTIONS: Readonly<Record<string, string>> = Object.freeze({
  east: 'e',
  west: 'w',
  north: 'n',
  south: 's',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
  gov: 'g',
});

/**
 * The zone-ID prefix of a region: its parts with each direction abbreviated (`us-east-1` ->
 * `use1`, `ap-southeast-2` -> `apse2`, `us-gov-west-1` -> `usgw1`, `cn-northwest-1` -> `cnnw1`),
 * the scheme of every zone ID AWS publishes (eksctl's `use1-az3`, `usw1-az2`, `cac1-az3`,
 * `cnn1-az4`).
 */
export function zoneIdPrefix(region: string): string {
  const parts = region.split('-');
  return parts.map((p, i) => (i === 0 || /^\d+$/.test(p) ? p : (DIRECTIONS[p] ?? p))).join('');
}

/**
 * Throws a {@link ValidationError} naming `property` unless `zoneId` is an Availability Zone ID of
 * `region` (`<prefix>-az<n>`; Local and Wavelength Zone IDs, which cannot hold a control plane, are
 * not accepted) that EKS can place a control plane in.
 */
export function assertZoneIdOfRegion(zoneId: unknown, region: string, property: string): void {
  const prefix = zoneIdPrefix(region);
  if (typeof zoneId !== 'string' || !new RegExp(`^${prefix}-az\\d+$`).test(zoneId)) {
    throw new ValidationError(property, zoneId, `an Availability Zone ID of ${region} (${prefix}-az1, ${prefix}-az2, ...)`, 'subnets can only be created in zones of the stack\'s region; zone IDs, unlike names, are the same in every account');
  }
  const refused = unsupportedZoneIds(region);
  if (refused.includes(zoneId)) {
    throw new ValidationError(
      property,
      zoneId,
      `a zone ID of ${region} other than ${refused.join(', ')}`,
      'EKS cannot place a control plane there: CreateCluster fails with UnsupportedAvailabilityZoneException (eksctl keeps the same list)',
    );
  }
}
