export { startBehaviourProxy, type BehaviourProxy, type BehaviourProxyOptions } from './proxy';
export { CallLog, type CallOutcome, type LoggedCall } from './call-log';
export {
  PROFILES,
  loadProfile,
  parseProfile,
  type BehaviourProfile,
  type BehaviourProfileInput,
} from './profile';
