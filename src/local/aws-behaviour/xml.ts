/**
 * The little XML surgery the behaviours need on moto's Query-protocol answers: read a tag's
 * first value, replace it (or add it), and rewrite each `<member>` of a list.
 */
export function tagValue(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

/** Sets the first `<tag>` to `value`; adds it before the closing tag of a member if absent. */
export function setTag(xml: string, tag: string, value: string): string {
  const pattern = new RegExp(`<${tag}>[^<]*</${tag}>`);
  if (pattern.test(xml)) return xml.replace(pattern, `<${tag}>${value}</${tag}>`);
  return xml.replace(/<\/member>\s*$/, `<${tag}>${value}</${tag}></member>`);
}

/** Applies `rewrite` to every innermost `<member>…</member>` block. */
export function rewriteMembers(xml: string, rewrite: (member: string) => string): string {
  return xml.replace(/<member>(?:(?!<member>)[\s\S])*?<\/member>/g, rewrite);
}
