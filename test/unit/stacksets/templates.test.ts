import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { nagAcknowledgements, readTemplate, REPO, templateFiles } from '../../support/cfn-template';

interface CfnLintFinding {
  Level: 'Error' | 'Warning' | 'Informational';
  Rule: { Id: string };
  Message: string;
  Location: { Start: { LineNumber: number } };
}

function cfnLint(file: string): CfnLintFinding[] {
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', file], { cwd: REPO, encoding: 'utf8' });
  if (run.error) throw new Error(`cfn-lint could not run (is it installed?): ${run.error.message}`);
  // Exit status is a bit mask of the levels found; the JSON on stdout is the full answer.
  if (!run.stdout.trim().startsWith('[')) throw new Error(`cfn-lint failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as CfnLintFinding[];
}

/**
 * The template in a CDK stack, checked by both packs. cdk-nag v3 reports through CDK's policy
 * validation (`validateScope`), not Annotations, and reads acknowledgements only from
 * `Validations.of(construct).acknowledge()`, never from template Metadata. So the template's own
 * `Metadata.cdk_nag.rules_to_suppress` (the v2 format, kept through CfnInclude) is applied here.
 */
function nagFindings(file: string, acknowledge: boolean): string[] {
  const app = new App();
  const stack = new Stack(app, 'Nag');
  const included = new CfnInclude(stack, 'Template', { templateFile: join(REPO, file) });
  if (acknowledge) {
    for (const ack of nagAcknowledgements(readTemplate(file))) {
      Validations.of(included.getResource(ack.logicalId)).acknowledge({ id: ack.id, reason: ack.reason });
    }
  }
  return [new AwsSolutionsChecks(), new NIST80053R5Checks()].flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => `${(r.constructPath ?? '').split('/').pop() ?? ''} ${v.ruleName}`),
      ),
  );
}

describe.each(templateFiles())('%s', (file) => {
  it('passes cfn-lint with no errors or warnings', () => {
    const findings = cfnLint(file)
      .filter((f) => f.Level !== 'Informational')
      .map((f) => `${f.Level} ${f.Rule.Id} line ${f.Location.Start.LineNumber}: ${f.Message}`);
    expect(findings).toEqual([]);
  });

  it('has no cdk-nag findings (AwsSolutions, NIST 800-53 R5) beyond those it acknowledges', () => {
    expect(nagFindings(file, true)).toEqual([]);
  });

  it('acknowledges only findings that occur, each with a reason', () => {
    const acks = nagAcknowledgements(readTemplate(file));
    const raw = new Set(nagFindings(file, false));
    expect(acks.filter((a) => !raw.has(`${a.logicalId} ${a.id}`))).toEqual([]);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(60);
  });
});

describe('the nag check', () => {
  it('is not vacuous: the baseline audit role is flagged when its acknowledgements are left out', () => {
    expect(nagFindings('stacksets/baseline.yaml', false)).toEqual(
      expect.arrayContaining(['AuditRole AwsSolutions-IAM5[Resource::*]']),
    );
  });
});
