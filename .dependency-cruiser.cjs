/**
 * The layers of avf, checked by dependency-cruiser (`npm run layers`, run by .ci/run before the
 * tests). A wrong import fails with the rule's name and its comment.
 *
 *   api, cli, infra/handlers ──► app (composition root) ──► workflow ──► verify, bootstrap ──► domain
 *                                                   └──► aws, store (adapters) ──► domain (ports)
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-nothing-of-ours',
      severity: 'error',
      comment: 'src/domain (records, ports, errors, shared names) is the centre: it imports only itself',
      from: { path: '^src/domain/' },
      to: { path: '^(src|api)/', pathNot: '^src/domain/' },
    },
    {
      name: 'verify-stays-out-of-workflow-and-bootstrap',
      severity: 'error',
      comment: 'the verifier reads AWS through ports; it must not import the workflow or bootstrap',
      from: { path: '^src/verify/' },
      to: { path: '^src/(workflow|bootstrap)/' },
    },
    {
      name: 'bootstrap-stays-out-of-workflow-and-verify',
      severity: 'error',
      comment:
        'bootstrap reconciles the organisation through ports; it must not import the workflow or verify',
      from: { path: '^src/bootstrap/' },
      to: { path: '^src/(workflow|verify)/' },
    },
    {
      name: 'adapters-only-implement-ports',
      severity: 'error',
      comment:
        'src/aws and src/store implement the ports of src/domain; they must not import the layers that use them',
      from: { path: '^src/(aws|store)/' },
      to: { path: '^(api|src/(app|cli|workflow|verify|bootstrap|infra|local))/' },
    },
    {
      name: 'only-src-aws-imports-aws-sdk',
      severity: 'error',
      comment:
        'one adapter per AWS service: only src/aws/** imports @aws-sdk/* (tests and the CDK app aside)',
      from: { path: '^(src|api|scripts)/', pathNot: '^src/(aws|infra)/' },
      to: { path: '^node_modules/@aws-sdk/' },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'two folders that import each other are one concern split in two, or a layer pointing upward',
      scope: 'folder',
      from: { path: '^(src|api)/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'modules that import each other in a circle load in an order that depends on who came first',
      from: { path: '^(src|api)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
