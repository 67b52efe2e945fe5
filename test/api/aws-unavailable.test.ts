import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createAwsPorts } from '../../src/aws';
import { errorOf, fixture, requestBody, storedRequests, submit } from './fixture';

/** Where the SDK looks for credentials, emptied: env, profile files, instance metadata. */
const CREDENTIAL_SOURCES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
];

describe('the API when AWS cannot be used', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const name of CREDENTIAL_SOURCES) delete process.env[name];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'avf-no-credentials'),
      AWS_CONFIG_FILE: join(tmpdir(), 'avf-no-config'),
    });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('answers a POST with 503 naming the missing credentials, not a bare 500, and stores nothing', async () => {
    const aws = createAwsPorts({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    const { app, store, tokens } = await fixture({ accountDirectory: aws.organizations });
    try {
      const res = await submit(app, tokens.payments, requestBody());
      expect(res.statusCode).toBe(503);
      expect(errorOf(res)).toEqual({
        code: 'AWS_NoCredentials',
        message:
          "the factory could not use AWS (organizations:ListAccounts: NoCredentials: no AWS credentials were found); nothing is wrong with the request: try again later, or ask the factory's operators to check its AWS credentials and access",
      });
      expect(await storedRequests(store)).toBe(0);
    } finally {
      await app.close();
    }
  });
});
