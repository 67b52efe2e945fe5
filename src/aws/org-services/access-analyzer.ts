import {
  CreateAnalyzerCommand,
  paginateListAnalyzers,
  type AccessAnalyzerClient,
} from '@aws-sdk/client-accessanalyzer';
import { callTolerating } from '../errors';
import { Pages } from '../pagination';

/** IAM Access Analyzer in the security account: the organisation-wide analyzer. */
export class AccessAnalyzerAdapter {
  /** access-analyzer:ListAnalyzers — the ACTIVE or CREATING organisation analyzers' names. */
  async listOrganizationAnalyzers(client: AccessAnalyzerClient): Promise<string[]> {
    const analyzers = await new Pages(client).collect(
      'access-analyzer:ListAnalyzers',
      paginateListAnalyzers,
      { type: 'ORGANIZATION' },
      (page) => page.analyzers,
    );
    return analyzers.flatMap((a) =>
      a.name && (a.status === 'ACTIVE' || a.status === 'CREATING') ? [a.name] : [],
    );
  }

  /** access-analyzer:CreateAnalyzer — an analyzer of that name existing is success. */
  async createOrganizationAnalyzer(client: AccessAnalyzerClient, name: string): Promise<void> {
    await callTolerating('access-analyzer:CreateAnalyzer', ['ConflictException'], () =>
      client.send(new CreateAnalyzerCommand({ analyzerName: name, type: 'ORGANIZATION' })),
    );
  }
}
