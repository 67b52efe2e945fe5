/** `avf-` and the parts joined by `-`, every character AWS refuses made a `-`, cut at 128 characters. */
function format(parts: Array<string | number>): string {
  return ['avf', ...parts]
    .join('-')
    .replace(/[^A-Za-z0-9-]/g, '-')
    .slice(0, 128);
}

/**
 * A StackSet OperationId: `avf-`, the store's tag (8 hex characters of the id created once per
 * store), then the parts. Built from ids alone, so a retry after a crash sends the same id and AWS
 * treats it as the same operation; the tag keeps two stores against one organisation (two
 * factories, or a store rebuilt) from ever sending each other's ids.
 */
export function operationId(storeTag: string, ...parts: Array<string | number>): string {
  if (!/^[0-9a-f]{8}$/.test(storeTag))
    throw new Error(`store tag ${JSON.stringify(storeTag)} is not 8 hex characters`);
  return format([storeTag, ...parts]);
}

/**
 * `avf bootstrap` runs without a store: its OperationIds are the hash of the whole StackSet
 * definition, so an operation found under that id deployed exactly this definition.
 */
export function contentOperationId(hash: string): string {
  return format(['bootstrap', hash]);
}
