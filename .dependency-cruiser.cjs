/**
 * The layering, as a rule the build checks (`npm test` runs `npm run layers` first). From the top:
 *
 *   bin, lib (the CDK)      handlers (one per function)      ops, local (the CLI, `npm start`)
 *            │                   │          │                       │
 *            │                 http       runtime (composition root, config, logger)
 *            │                   │          │
 *            │                   │       adapters (the only code that talks to AWS)
 *            ▼                   ▼          ▼
 *        contract (routes, grants, table shape)          domain (the rules: no AWS, no I/O of its own)
 *
 * portal/src (the members' pages) reads the typed client and the domain's pure helpers, nothing of
 * the server's runtime. Type-only imports count: a cycle of types is a cycle.
 */
const LAMBDAS = '^lambdas/';
const layer = (name) => `^lambdas/${name}/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycle, of values or of types.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'The domain imports no other layer, no AWS SDK and no CDK: its dependencies are passed in.',
      from: { path: layer('domain') },
      to: { path: [`${LAMBDAS}(?!domain/)`, '^lib/', '^portal/', '@aws-sdk', 'aws-cdk-lib', '^node_modules/@aws-sdk'] },
    },
    {
      name: 'contract-is-a-leaf',
      severity: 'error',
      comment:
        'Routes (with their schemas), grants and the table shape are read by the CDK and the functions; they read nothing of either — only the error codes the envelope may carry.',
      from: { path: layer('contract') },
      to: { path: [`${LAMBDAS}(?!contract/|domain/errors\\.ts$)`, '^lib/', '@aws-sdk'] },
    },
    {
      name: 'adapters-below-runtime',
      severity: 'error',
      comment:
        'Adapters implement the domain’s ports; they never reach for the functions, the HTTP layer or the tools.',
      from: { path: layer('adapters') },
      to: { path: [layer('(handlers|http|runtime|local|ops)')] },
    },
    {
      name: 'http-reads-only-the-logger-of-runtime',
      severity: 'error',
      comment:
        'The HTTP layer renders the domain for API Gateway; its settings (origins, base path) are handed to it by the composition root, and of that root it reads the logger only.',
      from: { path: layer('http') },
      to: { path: [layer('(handlers|adapters|local|ops)'), '^lambdas/runtime/(?!logger\\.ts$)', '@aws-sdk'] },
    },
    {
      name: 'handlers-through-the-composition-root',
      severity: 'error',
      comment:
        'A handler parses, calls the domain through runtime/, maps the result: it builds no adapter or AWS client itself.',
      from: { path: layer('handlers') },
      to: { path: [layer('(adapters|local|ops)'), '@aws-sdk'] },
    },
    {
      name: 'runtime-serves-the-functions',
      severity: 'error',
      comment:
        'The composition root wires adapters to the domain for the functions; it never imports them or the tools.',
      from: { path: layer('runtime') },
      to: { path: [layer('(handlers|local|ops)')] },
    },
    {
      name: 'ops-does-not-start-the-local-stack',
      severity: 'error',
      comment: 'The operators’ CLI runs against any stage: nothing of `npm start` comes with it.',
      from: { path: layer('ops') },
      to: { path: [layer('(local|handlers)')] },
    },
    {
      name: 'cdk-reads-declarations-only',
      severity: 'error',
      comment:
        'The stacks read what the functions declare (contract/, the portal’s headers and build), not how they run.',
      from: { path: ['^lib/', '^bin/'] },
      to: { path: [layer('(adapters|runtime|handlers|local|ops)')] },
    },
    {
      name: 'portal-is-a-browser-client',
      severity: 'error',
      comment:
        'The members’ pages use the typed client and the domain’s pure helpers; nothing of the server runs in a browser.',
      from: { path: '^portal/src/' },
      to: { path: [layer('(adapters|runtime|handlers|local|ops|http|contract)'), '^lib/', '@aws-sdk'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
