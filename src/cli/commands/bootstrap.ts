import { checkAwsAccess } from '../../app/access-check';
import { applyBootstrap, formatResult } from '../../bootstrap';
import { createAwsPorts } from '../../aws';
import { loadConfig } from '../../config/load';
import { openStore } from '../../store/open-store';

/**
 * Opens the configured store once, so that `AVF_STORE=dynamodb:TABLE` creates a missing table
 * (with the key schema the CDK table also uses) as part of the first bootstrap.
 */
async function ensureStore(): Promise<void> {
  const spec = process.env.AVF_STORE;
  if (!spec?.startsWith('dynamodb:')) return;
  const store = await openStore(spec);
  await store.close();
  console.log(`store: ${spec} is ready`);
}

/** `avf bootstrap [--dry-run]`: reconcile the organisation foundation; prints the plan or what it did. */
export async function bootstrapCommand(options: {
  configFile?: string;
  dryRun: boolean;
  /** Demo only: create the Identity Center groups (real ones come from the identity provider). */
  createGroups?: boolean;
}): Promise<number> {
  const loaded = loadConfig(options.configFile ?? process.env.AVF_CONFIG);
  const aws = createAwsPorts({
    region: process.env.AWS_REGION ?? loaded.config.homeRegion,
    memberRoleName: loaded.config.organization.accessRoleName,
  });
  await checkAwsAccess(aws, { purpose: 'bootstrap' });
  const result = await applyBootstrap(loaded, aws, {
    dryRun: options.dryRun,
    createGroups: options.createGroups ?? false,
    onAction: (action, i, total) => {
      if (!options.dryRun) console.log(`  [${i + 1}/${total}] ${action.description}`);
    },
  });
  if (options.dryRun || result.applied === 0) {
    for (const line of formatResult(result)) console.log(line);
  } else {
    console.log(`Applied ${result.applied} change(s).`);
    for (const [k, id] of Object.entries(result.accounts)) console.log(`  ${k}: ${id}`);
  }
  if (!options.dryRun) await ensureStore();
  return 0;
}
