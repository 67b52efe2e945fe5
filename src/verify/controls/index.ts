import type { Control } from '../verifier';
import { accessControl } from './access';
import { ACCOUNT_SETTINGS_CONTROLS } from './account-settings';
import { baselineStackSetsControl } from './baseline';
import { budgetControl } from './budget';
import { budgetFreezeControl } from './budget-freeze';
import { costAllocationTagsControl } from './cost-allocation-tags';
import { GUARDRAIL_CONTROLS } from './guardrails';
import { guardrailsControl, placementControl, tagsControl } from './organization';
import { quarantineControl } from './quarantine';
import { rootActivityAlertControl } from './root-activity';

/** Every control the verifier checks, in report order. */
export const CONTROLS: Control[] = [
  placementControl,
  guardrailsControl,
  tagsControl,
  baselineStackSetsControl,
  rootActivityAlertControl,
  accessControl,
  budgetControl,
  budgetFreezeControl,
  quarantineControl,
  ...ACCOUNT_SETTINGS_CONTROLS,
  ...GUARDRAIL_CONTROLS,
  costAllocationTagsControl,
];
