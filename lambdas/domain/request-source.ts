import type { Language } from './language.ts';

/** Who is asking, for the audit trail: a member's request, or customer service's command. */
export interface RequestSource {
  readonly requestId: string;
  readonly sourceIp?: string | undefined;
  readonly userAgent?: string | undefined;
}

/** A member's request from a browser: where from (throttles count per address), in which language, with which device. */
export interface MemberRequest extends RequestSource {
  readonly sourceIp: string;
  readonly language: Language;
  /** The device cookie presented, if any: never logged, only its hash is looked up. */
  readonly deviceToken?: string | undefined;
}
