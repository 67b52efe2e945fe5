import { recorderProblems, recordsGlobalTypes } from '../../domain/hardening';
import type { Control } from '../verifier';
import { perRegion, verdict } from './account-settings-read';

const EMULATOR_LACKS = (api: string) => `moto does not implement ${api} (docs/emulator.md)`;

export const ebsEncryptionControl: Control = {
  id: 'D-2',
  title: 'EBS encryption by default in every governed region',
  seeds: ['003'],
  enforcedBy: 'API',
  evaluate: (ctx) =>
    perRegion(ctx, async (port) => {
      const on = await port.getEbsEncryptionByDefault();
      return verdict(on ? [] : ['EBS encryption by default is off'], 'EbsEncryptionByDefault: true');
    }),
};

export const snapshotPublicAccessControl: Control = {
  id: 'D-3',
  title: 'EBS snapshots cannot be shared publicly in every governed region',
  seeds: ['003'],
  enforcedBy: 'API',
  emulatorGap: EMULATOR_LACKS('Get/EnableSnapshotBlockPublicAccess'),
  evaluate: (ctx) =>
    perRegion(ctx, async (port) => {
      const state = await port.getSnapshotBlockPublicAccess();
      return verdict(
        state === 'block-all-sharing' ? [] : [`snapshot block public access is ${state}`],
        `State: ${state}`,
      );
    }),
};

export const imdsV2Control: Control = {
  id: 'G-4',
  title: 'IMDSv2 required by default in every governed region',
  seeds: ['000', '001', '002'],
  enforcedBy: 'SCP, API',
  emulatorGap: EMULATOR_LACKS('Get/ModifyInstanceMetadataDefaults'),
  evaluate: (ctx) =>
    perRegion(ctx, async (port) => {
      const d = await port.getInstanceMetadataDefaults();
      return verdict(
        d.httpTokens === 'required' ? [] : [`HttpTokens is ${d.httpTokens}, not required`],
        `HttpTokens: ${d.httpTokens}, HttpPutResponseHopLimit: ${d.hopLimit ?? 'unset'}`,
      );
    }),
};

export const noDefaultVpcControl: Control = {
  id: 'N-1',
  title: 'no default VPC in any governed region',
  seeds: ['003'],
  enforcedBy: 'API',
  evaluate: (ctx) =>
    perRegion(ctx, async (port) => {
      const vpcs = await port.listDefaultVpcIds();
      return verdict(vpcs.length === 0 ? [] : [`default VPC present: ${vpcs.join(', ')}`], 'no default VPC');
    }),
};

export const configRecorderControl: Control = {
  id: 'L-2',
  title: 'AWS Config records all resources in every governed region (global types in the home region)',
  seeds: ['002', '003'],
  enforcedBy: 'API',
  evaluate: (ctx) =>
    perRegion(ctx, async (port, region) => {
      const recorder = (await port.listConfigRecorders())[0];
      const status =
        recorder && (await port.listConfigRecorderStatuses()).find((s) => s.name === recorder.name);
      const problems = recorderProblems(recorder, recordsGlobalTypes(ctx.config.config, region));
      if (recorder && !status?.recording) problems.push(`recorder ${recorder.name} is not recording`);
      return verdict(
        problems,
        `recorder ${recorder?.name}: allSupported ${recorder?.allSupported}, includeGlobalResourceTypes ${recorder?.includeGlobalResourceTypes}, recording (${status?.lastStatus ?? 'no status yet'})`,
      );
    }),
};

/**
 * L-3: an enabled detector in each region. The one hardening left (`target.threatDetectors`) is read
 * directly; the region's detectors are listed when there is none known or it is not found enabled.
 */
export const threatDetectorControl: Control = {
  id: 'L-3',
  title: 'GuardDuty enabled in every governed region',
  seeds: ['003'],
  enforcedBy: 'org, API',
  evaluate: (ctx) =>
    perRegion(ctx, async (port, region) => {
      const known = ctx.target.threatDetectors?.[region];
      const found = known === undefined ? undefined : await port.getThreatDetector(known);
      const detectors = found?.enabled ? [found] : await port.listThreatDetectors();
      const enabled = detectors.find((d) => d.enabled);
      return verdict(
        enabled ? [] : [detectors.length === 0 ? 'no GuardDuty detector' : 'GuardDuty detector disabled'],
        `detector ${enabled?.id} enabled`,
      );
    }),
};
