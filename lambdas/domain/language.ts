/** French by default (the seed's language); English when the member's browser prefers it. */
export type Language = 'fr' | 'en';
