import type { Control } from '../verifier';
import { accessControl } from './access';
import { baselineStackSetsControl } from './baseline';
import { budgetControl } from './budget';
import { guardrailsControl, placementControl, tagsControl } from './organization';
import { quarantineControl } from './quarantine';

/** Every control the verifier checks, in report order. */
export const CONTROLS: Control[] = [
  placementControl,
  guardrailsControl,
  tagsControl,
  baselineStackSetsControl,
  accessControl,
  budgetControl,
  quarantineControl,
];
