import { resolve } from 'node:path';
import { LocalLetterFiles } from '../../adapters/letters/local-letter-files.ts';
import { maskNir } from '../../domain/nir.ts';
import { isAcceptableTermsUrl } from '../../domain/terms.ts';
import { letterExport, letterQueue, termsStore } from '../../runtime/services.ts';
import { defineCommand, JSON_OPTION, memberFromNir, NIR_OPTION, operatorContext, UsageError } from '../command.ts';
import { OperatorFailure } from '../failure.ts';
import { result, say } from '../output.ts';

export const publishTerms = defineCommand({
  name: 'publish-terms',
  summary: 'make <v> the current terms version',
  usage: '--version <v> --url <url>',
  details: 'Every member accepts it at next sign-in. Safe to run twice. The URL is https (http only for localhost).',
  options: { version: { type: 'string' }, url: { type: 'string' } },
  async run({ values }) {
    if (!values.version || !/^[\w.-]{1,64}$/.test(values.version))
      throw new UsageError('--version is required (letters, digits, . _ -)');
    if (!values.url || !isAcceptableTermsUrl(values.url))
      throw new UsageError('--url is required: an https URL (http only for localhost)');
    const before = await termsStore().current();
    await termsStore().publish({ version: values.version, url: values.url, publishedAt: Date.now() });
    say(
      before?.version === values.version
        ? `terms ${values.version} were already current; nothing changed`
        : `terms ${values.version} are now current (was ${before?.version ?? 'none'}); every member accepts them at next sign-in`,
    );
    return 0;
  },
});

export const requestLetter = defineCommand({
  name: 'request-letter',
  summary: 'customer service: queue a postal letter with a new code',
  usage: '--nir <NIR>',
  details:
    'At most one outstanding per member; allowed even if a letter left recently; never for a deactivated member.',
  options: NIR_OPTION,
  async run({ values }) {
    const { nir, member } = await memberFromNir(values);
    const outcome = await letterQueue().request(member, 'CUSTOMER_SERVICE', (await operatorContext()).requestId);
    if (outcome === 'DEACTIVATED') throw new OperatorFailure(`member ${maskNir(nir)} is deactivated: no letter`);
    say(
      outcome === 'QUEUED'
        ? `letter queued for ${maskNir(nir)}; it leaves with the next export-letters`
        : `a letter is already pending for ${maskNir(nir)}; nothing more queued`,
    );
    return 0;
  },
});

export const exportLetters = defineCommand({
  name: 'export-letters',
  summary: 'the letter batch: every pending letter into one CSV in <dir>',
  usage: '--out <dir> [--json]',
  details:
    'Prints the file written, or that nothing is pending. An interrupted export, run again with the same --out, completes it.',
  options: { out: { type: 'string' }, ...JSON_OPTION },
  async run({ values }) {
    if (!values.out) throw new UsageError('--out <dir> is required');
    const report = await (await letterExport(new LocalLetterFiles(resolve(values.out)))).run();
    result(values.json, report, () => {
      if (report.files.length === 0) say('nothing pending: no file written');
      for (const file of report.files)
        say(`${file.location}  (${file.letters} letter${file.letters === 1 ? '' : 's'})`);
      if (report.cancelled > 0)
        say(`${report.cancelled} request(s) cancelled: member deactivated, gone or without postal address`);
    });
    return 0;
  },
});
