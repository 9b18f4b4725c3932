import { join, resolve } from 'node:path';
import type { SupportContact } from '../domain/support-contact.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');
export const LOCAL_DIR = join(PROJECT_ROOT, '.local');

export const LOCAL_PORTS = {
  api: Number(process.env['PORT'] ?? 3000),
  dynamodb: 8000,
  ses: 8005,
  portal: 5173,
  /** The stand-in for Lambda's asynchronous invocation of the account worker. */
  lambda: 3009,
} as const;

/** The account worker's name on the local stack. */
export const ACCOUNT_WORKER_FUNCTION = 'account-worker';

/**
 * The configuration the handlers get on the local stack. Any variable already set in the
 * environment wins, so the CLI can be pointed elsewhere.
 */
export function localEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  const defaults: Record<string, string> = {
    TABLE_NAME: 'member-portal-auth-local',
    AWS_REGION: 'eu-west-3',
    // DynamoDB Local and the SES emulator accept any credentials; real ones are never needed locally.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: `http://localhost:${LOCAL_PORTS.dynamodb}`,
    SES_ENDPOINT: `http://localhost:${LOCAL_PORTS.ses}`,
    KEYS_SOURCE: 'local',
    LOCAL_KEYS_DIR: join(LOCAL_DIR, 'keys'),
    JWT_ISSUER: `http://localhost:${LOCAL_PORTS.api}`,
    JWT_AUDIENCE: 'member-portal',
    PORTAL_ORIGINS: `http://localhost:${LOCAL_PORTS.portal}`,
    PORTAL_BASE_URL: `http://localhost:${LOCAL_PORTS.portal}`,
    MAIL_FROM: 'espace-adherent@mutuelle.example',
    // The customer-service contact (a demo number here): SUPPORT_PHONE, SUPPORT_HOURS, SUPPORT_URL move it.
    SUPPORT_PHONE: '01 23 45 67 89',
    SUPPORT_HOURS: 'du lundi au vendredi, de 9 h à 18 h',
    SUPPORT_URL: '',
    ACCOUNT_WORKER_FUNCTION,
    LAMBDA_ENDPOINT: `http://localhost:${LOCAL_PORTS.lambda}`,
  };
  const fromEnvironment = Object.fromEntries(
    Object.keys(defaults)
      .map((name) => [name, process.env[name]] as const)
      .filter((entry): entry is readonly [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
  return { ...defaults, ...fromEnvironment, ...overrides };
}

/** What the portal's `config.json` says of the customer-service contact, from that configuration. */
export function supportContactOf(env: Record<string, string>): SupportContact {
  const set = (name: string) => (env[name] ? { [name.replace('SUPPORT_', '').toLowerCase()]: env[name] } : {});
  return { ...set('SUPPORT_PHONE'), ...set('SUPPORT_HOURS'), ...set('SUPPORT_URL') };
}
