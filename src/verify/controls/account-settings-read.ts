import type { AccountSettingsPort } from '../../domain/ports/account-settings';
import { errored, failed, pass, type ControlContext, type ControlResult } from '../verifier';

export type Verdict = Pick<ControlResult, 'status' | 'evidence'>;
export type RegionResult = Omit<ControlResult, 'id' | 'title'>;

/** PASS with what was read, or FAIL listing every problem. */
export function verdict(problems: string[], evidence: string): Verdict {
  return problems.length === 0 ? pass(evidence) : failed(problems.join('; '));
}

/** One result per governed region; a region that cannot be read is ERROR on its own. */
export function perRegion(
  ctx: ControlContext,
  check: (port: AccountSettingsPort, region: string) => Promise<Verdict>,
): Promise<RegionResult[]> {
  return Promise.all(
    ctx.config.config.governedRegions.map(async (region): Promise<RegionResult> => {
      try {
        const port = await ctx.aws.memberAccount(ctx.target.accountId, region, ctx.target.activity);
        return { region, ...(await check(port, region)) };
      } catch (e) {
        return { region, ...errored(e) };
      }
    }),
  );
}

/** One result for an account-wide setting, read through the home region. */
export async function accountWide(
  ctx: ControlContext,
  check: (port: AccountSettingsPort) => Promise<Verdict>,
): Promise<RegionResult[]> {
  const port = await ctx.aws.memberAccount(
    ctx.target.accountId,
    ctx.config.config.homeRegion,
    ctx.target.activity,
  );
  return [await check(port)];
}
