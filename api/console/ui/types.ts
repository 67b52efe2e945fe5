/** The API's answers, as the console reads them (the OpenAPI document at /docs is the reference). */

export type Role = 'requester' | 'platform' | 'finance' | 'auditor';

export interface Principal {
  role: Role;
  team?: string;
  name: string;
}

export interface SessionInfo {
  signedIn: boolean;
  principal?: Principal;
  csrf?: string;
  expiresAt?: string;
}

export interface Controls {
  passed: number;
  failed: number;
  error: number;
}

export interface Step {
  name: string;
  status: string;
  startedAt?: string;
  finishedAt?: string;
  detail?: string;
}

export interface Spec {
  accountName: string;
  email: string;
  organizationalUnit: string;
  owner: { team: string; email: string };
  costCenter: string;
  budget: { monthlyLimitUsd: number; thresholdsPercent: number[] };
  access: { group: string; permissionSet: string }[];
  tags: Record<string, string>;
}

export interface RequestView {
  id: string;
  status: string;
  phase: string;
  team: string;
  accountId?: string;
  request: Spec;
  steps: Step[];
  controls?: Controls;
  queue?: { position: number; of: number; slotsInUse: number; slots: number };
  error?: { code: string; message: string; phase?: string };
  events?: { type?: string; at?: string; status?: string; [k: string]: unknown }[];
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface AccountView extends Spec {
  accountId: string;
  team: string;
  requestId: string;
  status: string;
  controls?: Controls;
  lastVerifiedAt?: string;
  baselineVersion?: string;
}

export interface ControlResult {
  id: string;
  title?: string;
  status: string;
  evidence?: string;
  region?: string;
}
