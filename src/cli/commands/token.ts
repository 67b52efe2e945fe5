import { createToken } from '../../../api/auth';
import type { Role } from '../../domain/ports/request-store';
import { openStore } from '../../store/open-store';
import { DEFAULT_STORE } from '../../app/runtime';

/** `avf token create`: prints a new token once; only its hash is stored. */
export async function createTokenCommand(options: {
  role: Role;
  team?: string;
  name?: string;
  store?: string;
}): Promise<string> {
  const store = await openStore(options.store ?? process.env.AVF_STORE ?? DEFAULT_STORE);
  try {
    return await createToken(store, {
      role: options.role,
      team: options.team,
      name: options.name ?? `${options.role}${options.team ? `-${options.team}` : ''}`,
    });
  } finally {
    await store.close();
  }
}
