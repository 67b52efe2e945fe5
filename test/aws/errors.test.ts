import {
  ConcurrentModificationException,
  ConflictException as OrgConflictException,
} from '@aws-sdk/client-organizations';
import { OperationInProgressException } from '@aws-sdk/client-cloudformation';
import { ConflictException as SsoConflictException, ThrottlingException } from '@aws-sdk/client-sso-admin';
import { call, callTolerating, toAwsError } from '../../src/aws/errors';
import { AwsError } from '../../src/domain/errors';

const $metadata = {};

function named(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name }, extra);
}

describe('toAwsError', () => {
  test.each([
    // [description, error, awsCode, retryable]
    [
      'ThrottlingException (modelled class)',
      new ThrottlingException({ message: 'slow', $metadata }),
      'ThrottlingException',
      true,
    ],
    ['TooManyRequestsException', named('TooManyRequestsException'), 'TooManyRequestsException', true],
    ['Throttling (query protocol)', named('Throttling'), 'Throttling', true],
    ['RequestLimitExceeded (EC2)', named('RequestLimitExceeded'), 'RequestLimitExceeded', true],
    ['HTTP 429 under any name', named('Weird', { $metadata: { httpStatusCode: 429 } }), 'Weird', true],
    ['HTTP 500', named('InternalFailure', { $metadata: { httpStatusCode: 500 } }), 'InternalFailure', true],
    [
      'HTTP 503',
      named('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }),
      'ServiceUnavailable',
      true,
    ],
    [
      'ECONNREFUSED',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'ECONNREFUSED',
      true,
    ],
    ['ECONNRESET', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ECONNRESET', true],
    ['TimeoutError', named('TimeoutError'), 'TimeoutError', true],
    [
      'ConcurrentModificationException',
      new ConcurrentModificationException({ message: 'busy', $metadata }),
      'ConcurrentModificationException',
      true,
    ],
    [
      'OperationInProgressException',
      new OperationInProgressException({ message: 'busy', $metadata }),
      'OperationInProgressException',
      true,
    ],
    [
      'FinalizingOrganizationException',
      named('FinalizingOrganizationException'),
      'FinalizingOrganizationException',
      true,
    ],
    [
      'sso-admin ConflictException',
      new SsoConflictException({ message: 'busy', $metadata }),
      'ConflictException',
      true,
    ],
    [
      'organizations ConflictException',
      new OrgConflictException({ message: 'no', $metadata }),
      'ConflictException',
      false,
    ],
    [
      'AccessDeniedException',
      named('AccessDeniedException', { $metadata: { httpStatusCode: 403 } }),
      'AccessDeniedException',
      false,
    ],
    [
      'ValidationException',
      named('ValidationException', { $metadata: { httpStatusCode: 400 } }),
      'ValidationException',
      false,
    ],
    [
      'moto HTML answer (JSON)',
      new SyntaxError(`Unexpected token '<', "<!doctype "... is not valid JSON`),
      'NotImplemented',
      false,
    ],
    [
      'moto HTML answer (XML)',
      named('Error', { message: 'XML parse error: mismatched tags', $metadata: { httpStatusCode: 500 } }),
      'NotImplemented',
      false,
    ],
    ['a thrown string', 'boom', 'UnknownError', false],
  ])('%s', (_description, error, awsCode, retryable) => {
    const mapped = toAwsError('svc:Op', error);
    expect(mapped).toBeInstanceOf(AwsError);
    expect(mapped).toMatchObject({ awsCode, retryable, operation: 'svc:Op', code: `AWS_${awsCode}` });
    expect(mapped.cause).toBe(error);
  });

  test.each(['AccountNotFoundException', 'CreateAccountStatusNotFoundException'])(
    'DescribeCreateAccountStatus %s becomes a final CreateAccountStatusNotFoundException',
    (name) => {
      expect(toAwsError('organizations:DescribeCreateAccountStatus', named(name))).toMatchObject({
        awsCode: 'CreateAccountStatusNotFoundException',
        retryable: false,
      });
    },
  );

  test('AccountNotFoundException elsewhere keeps its name', () => {
    expect(toAwsError('organizations:DescribeAccount', named('AccountNotFoundException')).awsCode).toBe(
      'AccountNotFoundException',
    );
  });

  test('AssumeRole AccessDenied is retryable: the new account role is not assumable yet', () => {
    const denied = named('AccessDenied', { $metadata: { httpStatusCode: 403 } });
    expect(toAwsError('sts:AssumeRole', denied).retryable).toBe(true);
    expect(toAwsError('iam:ListRoles', denied).retryable).toBe(false);
  });

  test('an AwsError passes through unchanged', () => {
    const original = new AwsError('a:B', 'X', 'm', true);
    expect(toAwsError('c:D', original)).toBe(original);
  });
});

describe('call and callTolerating', () => {
  test('call returns the result and maps failures', async () => {
    await expect(call('a:B', () => Promise.resolve(42))).resolves.toBe(42);
    await expect(call('a:B', () => Promise.reject(named('Throttling')))).rejects.toMatchObject({
      awsCode: 'Throttling',
      retryable: true,
      operation: 'a:B',
    });
  });

  test('callTolerating turns the listed codes into undefined and rethrows the rest', async () => {
    await expect(
      callTolerating('a:B', ['DuplicateRecordException'], () =>
        Promise.reject(named('DuplicateRecordException')),
      ),
    ).resolves.toBeUndefined();
    await expect(
      callTolerating('a:B', ['DuplicateRecordException'], () =>
        Promise.reject(named('AccessDeniedException')),
      ),
    ).rejects.toMatchObject({ awsCode: 'AccessDeniedException' });
  });
});
