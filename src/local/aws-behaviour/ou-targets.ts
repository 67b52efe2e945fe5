import type { AwsCall, RawRequest } from './protocol';
import type { BehaviourContext } from './upstream';
import { setTag, tagValue } from './xml';

/** Every `<prefix>.member.N` value of a query-protocol list parameter. */
export function listParam(form: URLSearchParams, prefix: string): string[] {
  return [...form.entries()].filter(([k]) => k.startsWith(`${prefix}.member.`)).map(([, v]) => v);
}

const key = (account: string, region: string) => `${account}/${region}`;

/** The call's form without DeploymentTargets, with `accounts` as moto's top-level `Accounts`. */
function withAccounts(call: AwsCall, accounts: string[], action = call.action): Buffer {
  const form = new URLSearchParams(
    [...call.form.entries()].filter(
      ([k]) => !k.startsWith('DeploymentTargets.') && !k.startsWith('Accounts.'),
    ),
  );
  form.set('Action', action);
  accounts.forEach((a, i) => form.set(`Accounts.member.${i + 1}`, a));
  return Buffer.from(form.toString(), 'utf8');
}

/** What a service-managed instance operation does to the OU targets, once moto has carried it out. */
export interface TargetChange {
  /** The body to send moto instead (plain accounts; moto knows nothing of OU targets). */
  body: Buffer;
  apply(): void;
}

/**
 * The OU targets of service-managed stack instances, which moto does not keep (the layer runs
 * such sets as self-managed in moto). As on AWS: an instance is created through the OU its account
 * sits in (DeploymentTargets OUs INTERSECTION accounts), stays with that OU when the account moves,
 * and is deleted through that OU whatever the account's OU now; an account and region has one
 * stack, which two OU targets may hold at once (listed once per OU), and which goes only when the
 * last OU target lets go of it. ListStackInstances and DescribeStackInstance name the OU.
 */
export class OuTargets {
  /** stack set → account/region → the OU targets holding it, oldest first. */
  private readonly held = new Map<string, Map<string, Set<string>>>();
  private readonly ouParents = new Map<string, string>();

  constructor(private readonly ctx: BehaviourContext) {}

  private of(set: string): Map<string, Set<string>> {
    let byInstance = this.held.get(set);
    if (!byInstance) this.held.set(set, (byInstance = new Map<string, Set<string>>()));
    return byInstance;
  }

  /** Organizations ListParents at moto, signed (loosely, as moto reads it) with the caller's key. */
  private async parentOf(call: AwsCall, childId: string): Promise<string | undefined> {
    const authorization = String(call.raw.headers.authorization ?? '');
    const accessKey = /Credential=([^/]+)\//.exec(authorization)?.[1] ?? 'test';
    const raw: RawRequest = {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSOrganizationsV20161128.ListParents',
        authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/20200101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: Buffer.from(JSON.stringify({ ChildId: childId })),
    };
    const answer = await this.ctx.upstream.send(raw);
    if (answer.status >= 400) return undefined;
    return (JSON.parse(answer.body) as { Parents?: Array<{ Id?: string }> }).Parents?.[0]?.Id;
  }

  /** The first of `ous` the account sits in (directly or below it), if any. */
  private async targetOf(call: AwsCall, account: string, ous: string[]): Promise<string | undefined> {
    let id = await this.parentOf(call, account);
    while (id !== undefined && !ous.includes(id) && !id.startsWith('r-')) {
      let parent = this.ouParents.get(id);
      if (parent === undefined) {
        parent = await this.parentOf(call, id);
        if (parent !== undefined) this.ouParents.set(id, parent);
      }
      id = parent;
    }
    return id !== undefined && ous.includes(id) ? id : undefined;
  }

  /**
   * CreateStackInstances: the listed accounts in the target OUs gain that OU's target; moto
   * creates only the stacks that do not exist yet (an UpdateStackInstances when none is new, so
   * that it still records an operation).
   */
  async create(call: AwsCall, set: string): Promise<TargetChange> {
    const ous = listParam(call.form, 'DeploymentTargets.OrganizationalUnitIds');
    const regions = listParam(call.form, 'Regions');
    const byInstance = this.of(set);
    const targeted: Array<{ account: string; ou: string }> = [];
    for (const account of listParam(call.form, 'DeploymentTargets.Accounts')) {
      const ou = await this.targetOf(call, account, ous);
      if (ou) targeted.push({ account, ou });
    }
    // Stacks moto has not got yet (any region missing: moto creates per account over all regions).
    const fresh = targeted.filter(({ account }) =>
      regions.some((r) => !byInstance.get(key(account, r))?.size),
    );
    // moto must record an operation to report on: with nothing new, a parameters-only update.
    const body =
      fresh.length === 0 && targeted.length > 0
        ? withAccounts(
            call,
            targeted.map((t) => t.account),
            'UpdateStackInstances',
          )
        : withAccounts(
            call,
            fresh.map((t) => t.account),
          );
    return {
      body,
      apply: () => {
        for (const { account, ou } of targeted)
          for (const r of regions)
            byInstance.set(key(account, r), new Set([...(byInstance.get(key(account, r)) ?? []), ou]));
      },
    };
  }

  /**
   * DeleteStackInstances: the listed accounts' instances let go of the target OUs; moto deletes the
   * stacks no OU target holds any more.
   */
  delete(call: AwsCall, set: string): TargetChange {
    const ous = listParam(call.form, 'DeploymentTargets.OrganizationalUnitIds');
    const regions = listParam(call.form, 'Regions');
    const byInstance = this.of(set);
    const after = new Map<string, Set<string>>();
    for (const account of listParam(call.form, 'DeploymentTargets.Accounts'))
      for (const r of regions) {
        const holders = byInstance.get(key(account, r));
        if (holders && [...holders].some((ou) => ous.includes(ou)))
          after.set(key(account, r), new Set([...holders].filter((ou) => !ous.includes(ou))));
      }
    // moto deletes per account over all the call's regions (the factory deletes them together).
    const gone = [...after].filter(([, holders]) => holders.size === 0).map(([k]) => k.split('/')[0] ?? '');
    return {
      body: withAccounts(call, [...new Set(gone)]),
      apply: () => {
        for (const [k, holders] of after) {
          if (holders.size > 0) byInstance.set(k, holders);
          else byInstance.delete(k);
        }
      },
    };
  }

  /** A ListStackInstances member once per OU target holding it, each naming its OU. */
  annotateSummary(set: string, member: string): string {
    const holders = this.held
      .get(set)
      ?.get(key(tagValue(member, 'Account') ?? '', tagValue(member, 'Region') ?? ''));
    if (!holders?.size) return member;
    return [...holders].map((ou) => setTag(member, 'OrganizationalUnitId', ou)).join('');
  }

  /** DescribeStackInstance's answer naming the OU target that holds it (the latest of them). */
  annotateInstance(set: string, account: string, region: string, body: string): string {
    const ou = [...(this.held.get(set)?.get(key(account, region)) ?? [])].pop();
    if (!ou) return body;
    return body.replace(
      '</StackInstance>',
      `<OrganizationalUnitId>${ou}</OrganizationalUnitId></StackInstance>`,
    );
  }
}
