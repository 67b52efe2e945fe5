import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addressRefusal, isPrivateAddress, specialRange } from '../../../src/domain/private-address';
import { WebhookRefusedError } from '../../../src/domain/ports/webhook';
import { HttpWebhookSender } from '../../../src/http/webhook-sender';
import { signWebhook, verifyWebhookSignature } from '../../../src/workflow/notify/webhook-signature';

const SECRET = 'whsec-0123456789abcdef';
const now = new Date('2026-11-23T12:00:00Z');

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'req-1:1', type: 'Account Request Status Changed' });
  const header = signWebhook(SECRET, body, now);

  it('verifies the body it signed with the secret it signed with', () => {
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, header, body, now)).toBe(true);
  });

  it('refuses another body, another secret, a stale timestamp and garbage', () => {
    expect(verifyWebhookSignature(SECRET, header, body.replace('req-1', 'req-2'), now)).toBe(false);
    expect(verifyWebhookSignature('another-secret-0000', header, body, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, body, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyWebhookSignature(SECRET, 'v1=abc', body, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, '', body, now)).toBe(false);
  });
});

describe('private addresses', () => {
  it.each([
    'localhost',
    'api.localhost',
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd12::1',
    'fe80::1',
    '::ffff:10.0.0.1',
  ])('%s is private', (host) => expect(isPrivateAddress(host)).toBe(true));

  it.each(['hooks.example.com', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is not',
    (host) => expect(isPrivateAddress(host)).toBe(false),
  );

  // The IANA special-purpose registries (IPv4 and IPv6), as reported in issue 14.
  it.each([
    ['198.18.0.1', 'reserved'], // benchmarking 198.18.0.0/15
    ['198.19.255.254', 'reserved'],
    ['192.0.0.8', 'reserved'], // IETF protocol assignments 192.0.0.0/24
    ['192.0.2.1', 'reserved'], // documentation
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['64:ff9b::a00:1', 'rfc6052'], // NAT64 of 10.0.0.1
    ['64:ff9b::808:808', 'rfc6052'],
    ['2002:a00:1::1', '6to4'],
    ['2001::1', 'teredo'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['::a00:1', 'ipv4Compatible'], // ::/96, IPv4-compatible
    ['::8.8.8.8', 'ipv4Compatible'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'], // documentation
    ['100::1', 'discard'],
    ['4000::1', 'reserved'], // outside 2000::/3
    ['[::ffff:198.18.0.1]', 'reserved'],
  ])('%s is special-purpose (%s)', (host, range) => {
    expect(specialRange(host)).toBe(range);
    expect(addressRefusal(host, { allowPrivateNetworks: true, allowLoopback: true })).toMatchObject({
      range,
    });
  });

  it('opens loopback alone with allowLoopback, private networks with allowPrivateNetworks, never link-local', () => {
    const loopbackOnly = { allowPrivateNetworks: false, allowLoopback: true };
    expect(addressRefusal('127.0.0.1', loopbackOnly)).toBeUndefined();
    expect(addressRefusal('::1', loopbackOnly)).toBeUndefined();
    expect(addressRefusal('localhost', loopbackOnly)).toBeUndefined();
    expect(addressRefusal('192.168.1.10', loopbackOnly)?.description).toBe('a private address (RFC 1918)');
    expect(addressRefusal('10.0.0.1', loopbackOnly)).toMatchObject({ range: 'private' });
    const internal = { allowPrivateNetworks: true };
    expect(addressRefusal('10.0.0.1', internal)).toBeUndefined();
    expect(addressRefusal('fd12::1', internal)).toBeUndefined();
    expect(addressRefusal('169.254.169.254', internal)?.description).toBe('a private address (link-local)');
    expect(addressRefusal('198.18.0.1', internal)?.description).toBe('a special-purpose address (reserved)');
    expect(addressRefusal('8.8.8.8', { allowPrivateNetworks: false })).toBeUndefined();
  });
});

describe('HttpWebhookSender', () => {
  let server: Server;
  let base: string;
  const received: Array<{ path: string; headers: IncomingMessage['headers']; body: string }> = [];
  // The requests that reached one path: a request an earlier test gave up on (/slow, /drip) may be
  // read by the server late, on a loaded machine, so each test counts only its own path.
  const at = (path: string) => received.filter((r) => r.path === path);
  let answer: (res: import('node:http').ServerResponse) => void = (res) => res.writeHead(204).end();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        answer(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    received.length = 0;
    answer = (res) => res.writeHead(204).end();
  });

  const local = new HttpWebhookSender({ allowHttp: true, allowPrivateNetworks: true });
  const post = (url: string, timeoutMs = 2000) => ({
    url,
    body: '{"id":"req-1:1"}',
    headers: { 'content-type': 'application/json', 'x-avf-signature': 't=1,v1=00' },
    timeoutMs,
  });

  it('posts the exact body with the headers and returns the status', async () => {
    await expect(local.post(post(`${base}/hook`))).resolves.toEqual({ status: 204, excerpt: '' });
    expect(at('/hook')).toHaveLength(1);
    expect(at('/hook')[0]?.body).toBe('{"id":"req-1:1"}');
    expect(at('/hook')[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-avf-signature': 't=1,v1=00',
      'content-length': '16',
    });
  });

  it('returns a failing status with the start of the answer, and does not follow redirects', async () => {
    answer = (res) => res.writeHead(500).end('x'.repeat(1000));
    const failed = await local.post(post(`${base}/hook`));
    expect(failed.status).toBe(500);
    expect(failed.excerpt).toHaveLength(200);

    answer = (res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    await expect(local.post(post(`${base}/hook`))).resolves.toMatchObject({ status: 302 });
    expect(at('/hook')).toHaveLength(2);
  });

  it('gives up on an endpoint that does not answer in time', async () => {
    answer = () => undefined; // never answers
    await expect(local.post(post(`${base}/slow`, 100))).rejects.toThrow('no answer within 100 ms');
  });

  it('gives up on an endpoint that answers at once and then trickles its body (a total deadline)', async () => {
    let drip: NodeJS.Timeout | undefined;
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      drip = setInterval(() => res.write('.'), 20); // one byte every 20 ms: never silent for long
    };
    await expect(local.post(post(`${base}/drip`, 150))).rejects.toThrow('no answer within 150 ms');
    clearInterval(drip);
  });

  it('refuses http and private addresses unless the config allows them, before connecting', async () => {
    const strict = new HttpWebhookSender({ allowHttp: false, allowPrivateNetworks: false });
    await expect(strict.post(post(`${base}/hook`))).rejects.toThrow(WebhookRefusedError);
    const httpsOnly = new HttpWebhookSender({ allowHttp: true, allowPrivateNetworks: false });
    await expect(httpsOnly.post(post(`${base}/hook`))).rejects.toThrow('127.0.0.1 is a private address');
    expect(at('/hook')).toHaveLength(0);
  });

  it('judges a host name by the address the connection uses (no DNS rebinding)', async () => {
    const port = new URL(base).port;
    // the check runs inside the lookup the socket connects with: there is no second resolution to differ
    const rebinding = new HttpWebhookSender({
      allowHttp: true,
      allowPrivateNetworks: false,
      resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
    });
    await expect(rebinding.post(post(`http://hooks.example.com:${port}/hook`))).rejects.toThrow(
      'hooks.example.com resolves to 127.0.0.1, a private address',
    );
    const benchmarking = new HttpWebhookSender({
      allowHttp: true,
      allowPrivateNetworks: true,
      resolve: () => Promise.resolve([{ address: '198.18.0.1', family: 4 }]),
    });
    await expect(benchmarking.post(post(`http://hooks.example.com:${port}/hook`))).rejects.toThrow(
      'hooks.example.com resolves to 198.18.0.1, a special-purpose address (reserved)',
    );
    expect(at('/hook')).toHaveLength(0);

    // allowed (a local run): the connection goes to the address resolved
    const allowed = new HttpWebhookSender({
      allowHttp: true,
      allowPrivateNetworks: true,
      resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
    });
    await expect(allowed.post(post(`http://hooks.example.com:${port}/hook`))).resolves.toMatchObject({
      status: 204,
    });
    expect(at('/hook').map((r) => r.headers.host)).toEqual([`hooks.example.com:${port}`]);
  });
});
