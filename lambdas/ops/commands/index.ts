import type { Command } from '../command.ts';
import { importClients, runAccessEnds } from './access-ends.ts';
import { adoptKeys } from './adopt-keys.ts';
import { audit } from './audit.ts';
import { deactivateClient, reactivateClient } from './client-commands.ts';
import { devicesCommand, forgetDevices } from './devices.ts';
import { replayFailedJobsCommand } from './failed-jobs.ts';
import { importMembers } from './import-members.ts';
import { purgeNirDigests, rotateSigningKeyCommand } from './maintenance.ts';
import { deactivateMember, reactivateMember, unlock } from './member-commands.ts';
import { memberStatusCommand } from './member-status.ts';
import { sessionsCommand, signOut } from './sessions.ts';
import { smoke } from './smoke.ts';
import { exportLetters, publishTerms, requestLetter } from './terms-and-letters.ts';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  importMembers,
  importClients,
  runAccessEnds,
  publishTerms,
  requestLetter,
  exportLetters,
  deactivateMember,
  reactivateMember,
  deactivateClient,
  reactivateClient,
  memberStatusCommand,
  audit,
  unlock,
  sessionsCommand,
  signOut,
  devicesCommand,
  forgetDevices,
  replayFailedJobsCommand,
  smoke,
  adoptKeys,
  purgeNirDigests,
  rotateSigningKeyCommand,
];
