import type { Role } from './types';

/**
 * Which pages each role sees, mirroring what the API lets it read (the API decides every call:
 * a page shown by mistake would only show the API's 403). Actions follow the same rule.
 */
export const PAGES: { path: string; label: string; roles: readonly Role[] }[] = [
  { path: '/requests', label: 'Requests', roles: ['requester', 'platform', 'finance', 'auditor'] },
  { path: '/new', label: 'New request', roles: ['requester', 'platform'] },
  { path: '/approvals', label: 'Approvals', roles: ['platform'] },
  { path: '/accounts', label: 'Accounts', roles: ['requester', 'platform', 'finance', 'auditor'] },
  { path: '/rollouts', label: 'Rollouts', roles: ['platform', 'auditor'] },
  { path: '/drift', label: 'Drift', roles: ['platform', 'auditor'] },
  { path: '/finance', label: 'Finance', roles: ['finance', 'platform', 'auditor'] },
];

export const canApprove = (role: Role): boolean => role === 'platform';
export const canChange = (role: Role): boolean => role === 'platform' || role === 'requester';
export const homeOf = (role: Role): string => (role === 'finance' ? '/finance' : '/requests');
