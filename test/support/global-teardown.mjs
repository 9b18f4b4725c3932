export default async function globalTeardown() {
  const engines = globalThis.__ENGINES__;
  if (engines) await Promise.allSettled([engines.dynamo.stop(), engines.ses.stop()]);
}
