import type { BehaviourProfile } from './profile';
import { seededRandom } from './prng';
import { awsError, isMutating, type AwsCall, type RawResponse } from './protocol';

export interface Fault {
  response: RawResponse;
  code: string;
  /** Carry the call out in moto first, then answer with the fault (the outcome is lost). */
  afterExecution: boolean;
}

/** The throttling error each protocol's services use. */
function throttlingCode(call: AwsCall): string {
  if (call.service === 'organizations') return 'TooManyRequestsException';
  if (call.protocol === 'query') return 'Throttling';
  return 'ThrottlingException';
}

/** Seeded fault injection: throttling and HTTP 503 at the profile's rates. */
export function faultInjector(profile: BehaviourProfile): { decide(call: AwsCall): Fault | undefined } {
  const random = seededRandom(profile.seed);
  const { throttleRate, unavailableRate, afterExecutionShare, actions } = profile.faults;
  return {
    decide(call) {
      if (actions && !actions.includes(call.action)) return undefined;
      const roll = random();
      if (roll < throttleRate) {
        const code = throttlingCode(call);
        return { response: awsError(call, 400, code, 'Rate exceeded'), code, afterExecution: false };
      }
      if (roll < throttleRate + unavailableRate) {
        const afterExecution = isMutating(call) && random() < afterExecutionShare;
        const code = 'ServiceUnavailable';
        return { response: awsError(call, 503, code, 'Service unavailable'), code, afterExecution };
      }
      return undefined;
    },
  };
}
