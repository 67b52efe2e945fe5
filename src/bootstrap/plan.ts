import type { LoadedConfig } from '../config/load';
import { ValidationError } from '../domain/errors';
import type { AwsPorts } from '../domain/ports/aws';
import type { BootstrapAction } from './actions';
import { desiredFoundation, type DesiredOptions } from './desired';
import { diffFoundation, planProblems } from './diff';
import { observeFoundation, type ActualFoundation } from './observe';
import { emulatorDeclared } from '../config/emulator';

export interface PlanOptions extends DesiredOptions {
  /**
   * AWS is the local emulator (default: AVF_EMULATOR=1): an operation it does not implement is
   * reported as a gap instead of failing bootstrap. On real AWS every error fails.
   */
  emulator?: boolean;
}

export interface BootstrapPlan {
  actions: BootstrapAction[];
  /** The state the plan was made against; apply takes the ids of what already exists from it. */
  actual: ActualFoundation;
}

/**
 * Reads the config's files and the live organisation and returns what bootstrap would change,
 * in order. Reads only. Throws a ValidationError listing every problem (a policy document that
 * AWS would refuse, a target over the SCP quota, a template parameter that does not exist)
 * before anything is changed.
 */
export async function planBootstrap(
  loaded: LoadedConfig,
  ports: AwsPorts,
  options: PlanOptions = {},
): Promise<BootstrapPlan> {
  const { desired, problems } = desiredFoundation(loaded, options);
  if (problems.length > 0) throw refused(loaded, problems);
  const actual = await observeFoundation(ports, desired, {
    emulator: options.emulator ?? emulatorDeclared(),
  });
  const limits = planProblems(desired, actual);
  if (limits.length > 0) throw refused(loaded, limits);
  const clients = { costExplorer: !!ports.costExplorer, executionRoles: !!ports.executionRoles };
  return { actions: diffFoundation(desired, actual, clients), actual };
}

function refused(loaded: LoadedConfig, problems: ValidationError['problems']): ValidationError {
  return new ValidationError(
    problems,
    `bootstrap refused: ${loaded.file} describes a foundation AWS would reject`,
  );
}
