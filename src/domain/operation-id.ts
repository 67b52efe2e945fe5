/**
 * A StackSet OperationId: `avf-` and the parts joined by `-`, with every character AWS refuses
 * (anything but letters, digits and `-`) made a `-`, cut at AWS's 128 characters. Built from ids
 * alone, so a retry after a crash sends the same id and AWS treats it as the same operation.
 */
export function operationId(...parts: Array<string | number>): string {
  return ['avf', ...parts]
    .join('-')
    .replace(/[^A-Za-z0-9-]/g, '-')
    .slice(0, 128);
}
