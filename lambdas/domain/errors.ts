/**
 * The one error hierarchy. Every error a member or operator may see is an AppError with a
 * contract code and an HTTP status; only the HTTP error middleware turns them into responses.
 * Anything else that is thrown becomes a 500 INTERNAL with no detail.
 */
export const ERROR_CODES = [
  'MALFORMED_REQUEST',
  'INVALID_NIR',
  'INVALID_CODE_FORMAT',
  'CODE_CONFIRMATION_MISMATCH',
  'WEAK_CODE',
  'INVALID_RESET_TOKEN',
  'INVALID_CREDENTIALS',
  'INVALID_CHALLENGE',
  'INVALID_DEVICE_CODE',
  'PASSKEY_REFUSED',
  'REAUTHENTICATION_REQUIRED',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'ACCOUNT_DEACTIVATED',
  'ORIGIN_NOT_ALLOWED',
  'DEVICE_NOT_TRUSTED',
  'NOT_FOUND',
  'TERMS_VERSION_MISMATCH',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'TOO_MANY_ATTEMPTS',
  'REQUEST_BLOCKED',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly statusCode: number;
  /** Per-field detail, safe to show (never a submitted value). */
  readonly fields: Record<string, string> | undefined;
  /** Figures the member's message states (a rule's numbers, never anything of the request). */
  readonly params: Readonly<Record<string, number>> | undefined;

  constructor(
    detail?: string,
    options?: { cause?: unknown; fields?: Record<string, string>; params?: Record<string, number> },
  ) {
    super(detail ?? new.target.name, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.fields = options?.fields;
    this.params = options?.params;
  }
}

export class MalformedRequestError extends AppError {
  readonly code = 'MALFORMED_REQUEST';
  readonly statusCode = 400;
}
export class InvalidNirError extends AppError {
  readonly code = 'INVALID_NIR';
  readonly statusCode = 400;
}
export class InvalidCodeFormatError extends AppError {
  readonly code = 'INVALID_CODE_FORMAT';
  readonly statusCode = 400;
}
export class CodeConfirmationMismatchError extends AppError {
  readonly code = 'CODE_CONFIRMATION_MISMATCH';
  readonly statusCode = 400;
}
export class WeakCodeError extends AppError {
  readonly code = 'WEAK_CODE';
  readonly statusCode = 400;
}
export class InvalidResetTokenError extends AppError {
  readonly code = 'INVALID_RESET_TOKEN';
  readonly statusCode = 400;
}
/** Unknown NIR and wrong code alike: one answer for both. */
export class InvalidCredentialsError extends AppError {
  readonly code = 'INVALID_CREDENTIALS';
  readonly statusCode = 401;
}
export class InvalidChallengeError extends AppError {
  readonly code = 'INVALID_CHALLENGE';
  readonly statusCode = 401;
}
/** A wrong new-device verification code (the challenge lives on until its third). */
export class InvalidDeviceCodeError extends AppError {
  readonly code = 'INVALID_DEVICE_CODE';
  readonly statusCode = 401;
}
/** A passkey response that does not verify (origin, RP id, signature, user verification, counter). */
export class PasskeyRefusedError extends AppError {
  readonly code = 'PASSKEY_REFUSED';
  readonly statusCode = 401;
}
/** Adding or removing a passkey, or passkey-only mode, after a sign-in older than 5 minutes. */
export class ReauthenticationRequiredError extends AppError {
  readonly code = 'REAUTHENTICATION_REQUIRED';
  readonly statusCode = 403;
}
export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  readonly statusCode = 401;
}
export class SessionExpiredError extends AppError {
  readonly code = 'SESSION_EXPIRED';
  readonly statusCode = 401;
}
export class AccountDeactivatedError extends AppError {
  readonly code = 'ACCOUNT_DEACTIVATED';
  readonly statusCode = 403;
}
/** A state-changing request sent by a page of another site (login CSRF, attempts spread over visitors' browsers). */
export class OriginNotAllowedError extends AppError {
  readonly code = 'ORIGIN_NOT_ALLOWED';
  readonly statusCode = 403;
}
/**
 * The personal code, right, on the signed-out code-change form from a browser the member never
 * proved (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do"): whoever knows the code without the mailbox changes nothing.
 */
export class DeviceNotTrustedError extends AppError {
  readonly code = 'DEVICE_NOT_TRUSTED';
  readonly statusCode = 403;
}
export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  readonly statusCode = 404;
}
export class TermsVersionMismatchError extends AppError {
  readonly code = 'TERMS_VERSION_MISMATCH';
  readonly statusCode = 409;
}
export class PayloadTooLargeError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly statusCode = 413;
}
/** A body without `Content-Type: application/json`: what a cross-site form posts without a CORS preflight. */
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly statusCode = 415;
}
/**
 * Why an attempt was refused: a counter's lock or its 24-hour cap, a throttle window (per source IP,
 * per code across NIRs, per member), or racing requests that kept winning. Read by the code; never
 * shown (every refusal is the same 429 to the caller).
 */
export type RefusalReason = 'LOCKED' | 'CAPPED' | 'THROTTLED' | 'CONTENTION';

export class TooManyAttemptsError extends AppError {
  readonly code = 'TOO_MANY_ATTEMPTS';
  readonly statusCode = 429;
  readonly retryAfterSeconds: number;
  readonly reason: RefusalReason;

  constructor(retryAfterSeconds: number, reason: RefusalReason, detail?: string) {
    super(detail ?? reason);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
    this.reason = reason;
  }
}

/** An operator command refused for a reason the operator can fix (never shown to members). */
export class OperatorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorInputError';
  }
}
