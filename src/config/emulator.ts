/**
 * True only when `AVF_EMULATOR=1` says AWS is the local emulator (the demo, the tests and the
 * local AWS tool's printed exports set it). An endpoint override (AWS_ENDPOINT_URL) alone changes
 * nothing: a proxy in front of real AWS keeps every ERROR blocking READY.
 */
export function emulatorDeclared(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.AVF_EMULATOR === '1';
}
