export { startBehaviourProxy, type BehaviourProxy, type BehaviourProxyOptions } from './proxy';
export {
  CallCounter,
  CallLog,
  callsBetween,
  type CallCounts,
  type CallOutcome,
  type LoggedCall,
} from './call-log';
export {
  PROFILES,
  loadProfile,
  parseProfile,
  type BehaviourProfile,
  type BehaviourProfileInput,
} from './profile';
