import type { ApiError } from '../../client/api-client.ts';
import { weakCodeReason } from '../../lambdas/domain/code-blocklist.ts';
import type { SixDigitCode } from '../../lambdas/domain/code-format.ts';
import { type Nir, nirMistake, parseNir } from '../../lambdas/domain/nir.ts';
import { type MessageKey, t } from './i18n.ts';

/**
 * The checks made before a form is sent, with the API's own rules (the same modules): a mistyped
 * NIR, a code that is not 6 digits, a weak new code or a confirmation that differs are told at
 * once, and cost the member no attempt.
 */
/** Which mistake, said plainly: the length (with the count typed), a character, or the key. */
export function nirProblem(value: string): string | undefined {
  const mistake = nirMistake(value);
  if (mistake === 'LENGTH') return t('nirLength', { n: value.replace(/[\s.-]/g, '').length });
  if (mistake === 'CHARACTERS') return t('nirCharacters');
  if (mistake === 'KEY') return t('nirKey');
  return undefined;
}

function validNir(value: string): Nir | undefined {
  try {
    return parseNir(value);
  } catch {
    return undefined;
  }
}

export const codeProblem = (value: string) => (/^\d{6}$/.test(value.trim()) ? undefined : t('codeFormat'));

export function newCodeProblems(nir: string, newCode: string, confirmation: string): Record<string, string> {
  const problems: Record<string, string> = {};
  const format = codeProblem(newCode);
  if (format) problems['newCode'] = format;
  else if (weakCodeReason(newCode.trim() as SixDigitCode, validNir(nir))) problems['newCode'] = t('weakCode');
  if (!problems['newCode'] && confirmation.trim() !== newCode.trim()) problems['newCodeConfirmation'] = t('mismatch');
  return problems;
}

const FIELD_MESSAGES: Partial<Record<ApiError['error']['code'], MessageKey>> = {
  INVALID_NIR: 'nirInvalid',
  INVALID_CODE_FORMAT: 'codeFormat',
  WEAK_CODE: 'weakCode',
  CODE_CONFIRMATION_MISMATCH: 'mismatch',
};

/** The API's refusal, field by field, in the portal's words (its field details may be codes, not sentences). */
export function fieldErrors(error: ApiError['error']): Record<string, string> {
  const key = FIELD_MESSAGES[error.code];
  return Object.fromEntries(
    Object.entries(error.fields ?? {}).map(([name, detail]) => [name, key ? t(key) : detail || error.message]),
  );
}

/** Form values, trimmed. */
export const valuesOf = (form: HTMLFormElement) =>
  Object.fromEntries([...new FormData(form)].map(([name, value]) => [name, String(value).trim()]));

/** The problems found, without the fields that have none. */
export const clean = (problems: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(problems).filter((e): e is [string, string] => e[1] !== undefined));
