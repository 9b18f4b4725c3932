import { inMemoryPorts } from '../../support/in-memory.ts';
import { describePortContracts } from '../../support/port-contracts.ts';

// The fakes the unit world runs on, held to the suites their DynamoDB adapters pass
// (test/integration/repositories.test.ts).
describePortContracts('in memory', () => {
  const ports = inMemoryPorts();
  return {
    members: ports.members,
    attempts: ports.attempts,
    sessions: ports.sessionStore,
    challenges: ports.challenges,
    resetLinks: ports.resetLinks,
    terms: ports.termsStore,
    devices: ports.deviceStore,
    deviceChallenges: ports.deviceChallenges,
    passkeys: ports.passkeyStore,
    webAuthnChallenges: ports.webauthnChallenges,
    letters: ports.letterStore,
  };
});
