import type { Phase } from '../../domain/account-request';
import type { Step } from '../step';
import { awaitAccess } from './await-access';
import { baseline } from './baseline';
import { budget } from './budget';
import { createAccount } from './create-account';
import { harden } from './harden';
import { identityCenter } from './identity-center';
import { placeAccount } from './place-account';
import { releaseQuarantine } from './release-quarantine';
import { verify } from './verify';

/** The vend, phase by phase (order in PHASES). */
export const STEPS: Record<Phase, Step> = {
  'create-account': createAccount,
  'place-account': placeAccount,
  'await-access': awaitAccess,
  harden,
  baseline,
  'identity-center': identityCenter,
  budget,
  verify,
  'release-quarantine': releaseQuarantine,
};
