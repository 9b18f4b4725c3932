import {
  InMemoryAttempts,
  InMemoryChallenges,
  InMemoryDeviceChallenges,
  InMemoryLetters,
  InMemoryMembers,
  InMemoryPasskeys,
  InMemoryResetLinks,
  InMemorySessionStore,
  InMemoryTerms,
  InMemoryTrustedDevices,
  InMemoryWebAuthnChallenges,
} from '../../support/in-memory.ts';
import { describePortContracts } from '../../support/port-contracts.ts';

// The fakes the unit world runs on, held to the suites their DynamoDB adapters pass
// (test/integration/repositories.test.ts).
describePortContracts('in memory', () => {
  const members = new InMemoryMembers();
  const devices = new InMemoryTrustedDevices();
  return {
    members,
    attempts: new InMemoryAttempts(members, devices),
    sessions: new InMemorySessionStore(members),
    challenges: new InMemoryChallenges(),
    resetLinks: new InMemoryResetLinks(),
    terms: new InMemoryTerms(),
    devices,
    deviceChallenges: new InMemoryDeviceChallenges(),
    passkeys: new InMemoryPasskeys(),
    webAuthnChallenges: new InMemoryWebAuthnChallenges(),
    letters: new InMemoryLetters(members),
  };
});
