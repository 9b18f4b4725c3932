/** The portal's pages that mail links to (from `PORTAL_BASE_URL`, never from a request). */
export const PORTAL_PATHS = {
  /** Opened from the reset mail; reads the token from the fragment (`#token=`). */
  reset: '/mot-de-passe/reinitialiser',
  /** "Vous avez oublié votre code d'accès ?" */
  forgot: '/mot-de-passe/oublie',
} as const;

export const portalUrl = (base: string, path: string): string => `${base.replace(/\/+$/, '')}${path}`;
