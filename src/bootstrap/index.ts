export type { BootstrapAction, BootstrapActionKind, FoundationAccountKey } from './actions';
export { applyBootstrap, type ApplyOptions, type BootstrapResult } from './apply';
export { formatPlan, formatResult } from './format';
export { planBootstrap, type BootstrapPlan, type PlanOptions } from './plan';
