import { AvfError } from '../domain/errors';

/**
 * How the CLI ends on an error: one line saying what went wrong and what to do, exit code 2 for
 * the errors we expect (bad input, an API refusal, a missing setting, AWS unreachable), 1 for a
 * fault of ours. `--debug` adds the stack trace.
 */
export function reportError(error: unknown, debug: boolean): number {
  const expected = error instanceof AvfError;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`avf: ${message}`);
  if (debug) console.error(error instanceof Error ? error.stack : error);
  else if (!expected) console.error('avf: this is unexpected; run again with --debug for the trace');
  return expected ? 2 : 1;
}
