import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

/**
 * What a team's script does with the client generated from the OpenAPI document: request an account,
 * follow it to READY or FAILED. Written only against the generated types (no avf imports), so it
 * compiles exactly as it would in another repository; the integration test compiles and runs it.
 */
export async function vendWithGeneratedClient(
  baseUrl: string,
  token: string,
  name: string,
): Promise<{ id: string; status: string; accountId?: string; refusedCode?: string }> {
  const client = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });
  const body: components['schemas']['AccountRequestBodyInput'] = {
    accountName: name,
    email: `aws+${name}@example.com`,
    organizationalUnit: 'Workloads/NonProd',
    owner: { team: 'payments', email: 'payments-lead@example.com' },
    costCenter: 'CC-1234',
    budget: { monthlyLimitUsd: 500 },
    access: [{ group: 'payments-developers', permissionSet: 'Developer' }],
    tags: { environment: 'dev' },
  };
  const { data: accepted, error } = await client.POST('/v1/account-requests', { body });
  if (!accepted) throw new Error(`refused: ${error?.error.message ?? 'no answer'}`);
  let view = accepted;
  while (view.status !== 'READY' && view.status !== 'FAILED') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { data } = await client.GET('/v1/account-requests/{id}', { params: { path: { id: view.id } } });
    if (!data) throw new Error(`request ${view.id} vanished`);
    view = data;
  }
  // The same call with a bad email: the typed error envelope of a 400.
  const refused = await client.POST('/v1/account-requests', { body: { ...body, email: 'not-an-email' } });
  return {
    id: view.id,
    status: view.status,
    ...(view.accountId ? { accountId: view.accountId } : {}),
    ...(refused.error ? { refusedCode: refused.error.error.code } : {}),
  };
}
