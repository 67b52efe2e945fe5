import { Verifier } from '../../verify/verifier';
import type { WorkflowDeps } from '../step';

/** Port methods that only read (every read of the organisation and org-services ports is named so). */
const READ = /^(get|list|describe|find)[A-Z]/;

/**
 * The port with each read answered once per arguments: callers asking the same while it is in
 * flight share the call, and a failure is not kept (the next caller asks again).
 */
function readOnce<T extends object>(port: T): T {
  const answers = new Map<string, Promise<unknown>>();
  return new Proxy(port, {
    get(target, name, receiver) {
      const member: unknown = Reflect.get(target, name, receiver);
      if (typeof member !== 'function' || typeof name !== 'string' || !READ.test(name)) return member;
      return (...args: unknown[]) => {
        const key = `${name}:${JSON.stringify(args)}`;
        let answer = answers.get(key);
        if (!answer) {
          answer = (member as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          answers.set(key, answer);
          answer.catch(() => answers.delete(key));
        }
        return answer;
      };
    },
  });
}

/**
 * A verifier for the accounts of one sweep step. The organisation's reads (root, OU chain, SCPs
 * and their documents, the trail, delegated administrators, analyzers) are the same for every
 * account, so the step makes each once instead of once per account; a step lasts seconds, so
 * nothing goes stale. Reads in the member accounts are not shared (their arguments differ anyway).
 */
export function stepVerifier(deps: WorkflowDeps): Verifier {
  const organizations = readOnce(deps.aws.organizations);
  const orgServices = readOnce(deps.aws.orgServices);
  const aws = new Proxy(deps.aws, {
    get(target, name, receiver) {
      if (name === 'organizations') return organizations;
      if (name === 'orgServices') return orgServices;
      return Reflect.get(target, name, receiver) as unknown;
    },
  });
  const { controls, emulator } = deps.verifier;
  return new Verifier(controls, { aws, config: deps.config, directory: deps.directory }, emulator);
}
