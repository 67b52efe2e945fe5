import type { IncomingHttpHeaders } from 'node:http';

/** One HTTP request as the proxy received it. */
export interface RawRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP response, from moto or made up by a behaviour. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * An AWS call, read from whichever protocol the service speaks: JSON (`X-Amz-Target`:
 * Organizations, SSO Admin, Identity Store, Budgets), Query (`Action=` form bodies:
 * CloudFormation, STS, IAM, EC2) or REST (everything else; the action is method and path).
 */
export interface AwsCall {
  service: string;
  action: string;
  protocol: 'json' | 'query' | 'rest';
  region: string;
  /** The JSON body (json protocol). */
  json: Record<string, unknown>;
  /** The form parameters (query protocol). */
  form: URLSearchParams;
  raw: RawRequest;
}

const JSON_TARGET_SERVICES: Record<string, string> = {
  AWSOrganizationsV20161128: 'organizations',
  SWBExternalService: 'sso-admin',
  AWSIdentityStore: 'identitystore',
  AWSBudgetServiceGateway: 'budgets',
  AWSInsightsIndexService: 'ce',
};

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** Service and region from the SigV4 credential scope (`Credential=AKID/date/region/service/aws4_request`). */
function credentialScope(headers: IncomingHttpHeaders): { service?: string; region?: string } {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(header(headers, 'authorization'));
  return match ? { region: match[1], service: match[2] } : {};
}

export function parseCall(raw: RawRequest): AwsCall {
  const scope = credentialScope(raw.headers);
  const region = scope.region ?? 'us-east-1';
  const text = raw.body.toString('utf8');
  const target = header(raw.headers, 'x-amz-target');
  const empty = { json: {}, form: new URLSearchParams(), raw, region };
  if (target) {
    const [prefix = '', action = ''] = target.split('.');
    let json: Record<string, unknown> = {};
    try {
      const parsed: unknown = text ? JSON.parse(text) : {};
      if (parsed && typeof parsed === 'object') json = parsed as Record<string, unknown>;
    } catch {
      // not JSON: pass through as is
    }
    const service = JSON_TARGET_SERVICES[prefix] ?? scope.service ?? prefix;
    return { ...empty, service, action, protocol: 'json', json };
  }
  if (header(raw.headers, 'content-type').startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    const action = form.get('Action');
    if (action) return { ...empty, service: scope.service ?? 'unknown', action, protocol: 'query', form };
  }
  const path = raw.path.split('?')[0] ?? '/';
  return { ...empty, service: scope.service ?? 'unknown', action: `${raw.method} ${path}`, protocol: 'rest' };
}

const MUTATING =
  /^(Create|Update|Delete|Put|Attach|Detach|Move|Enable|Disable|Register|Deregister|Tag|Untag|Provision|Associate|Disassociate|Close|Remove|Invite|Accept|Start|Stop|Set|Modify|Reset|Import|Activate|Deactivate)/;

/** True for calls that change state (what tests count to prove exactly-once). */
export function isMutating(call: AwsCall): boolean {
  if (call.protocol === 'rest') return !['GET', 'HEAD'].includes(call.raw.method);
  return MUTATING.test(call.action);
}

/**
 * An error in the shape the call's protocol uses, so the SDK raises the typed exception: Query
 * XML, EC2's own XML, S3's REST XML, or JSON.
 */
export function awsError(call: AwsCall, status: number, code: string, message: string): RawResponse {
  if (call.service === 'ec2') {
    return {
      status,
      headers: { 'content-type': 'text/xml' },
      body: `<Response><Errors><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>avf-behaviour</RequestID></Response>`,
    };
  }
  if (call.protocol === 'rest' && call.service === 's3') {
    return {
      status,
      headers: { 'content-type': 'application/xml' },
      body: `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>avf-behaviour</RequestId></Error>`,
    };
  }
  if (call.protocol === 'query') {
    const type = status >= 500 ? 'Receiver' : 'Sender';
    return {
      status,
      headers: { 'content-type': 'text/xml' },
      body:
        `<ErrorResponse xmlns="http://${call.service}.amazonaws.com/doc/"><Error><Type>${type}</Type>` +
        `<Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` +
        `<RequestId>avf-behaviour</RequestId></ErrorResponse>`,
    };
  }
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code },
    body: JSON.stringify({ __type: code, message, Message: message }),
  };
}

/** A JSON-protocol success answer made up by a behaviour. */
export function jsonResponse(body: unknown): RawResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  };
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The form body with one parameter replaced (query protocol), e.g. a rewritten OperationId. */
export function withFormParam(call: AwsCall, name: string, value: string): Buffer {
  const form = new URLSearchParams(call.form);
  form.set(name, value);
  return Buffer.from(form.toString(), 'utf8');
}
