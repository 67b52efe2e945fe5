export type { LifecycleDeps } from './deps';
export { accountStateOf, type ManagedAccount } from './managed-account';
export { AccountPatchSchema, patchAccount } from './patch-account';
export { MoveBodySchema, moveAccount, type MovedAccount } from './move-account';
export { CloseBodySchema, cancelAccountClosure, closeAccount } from './close-account';
export { ImportBodySchema, importAccount } from './import-account';
export { MAX_CLOSURES_IN_PROGRESS } from './closures';
export { changeStatus, type Change } from './account-changes';
export {
  approveAccountChange,
  getAccountChange,
  rejectAccountChange,
  type ChangeView,
} from './change-actions';
