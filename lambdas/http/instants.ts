/** Instants in answers: ISO 8601 in UTC (the domain keeps epoch milliseconds). */
export const isoInstant = (at: number): string => new Date(at).toISOString();

/** The same for an instant that may not have happened yet (`null` in JSON). */
export const isoInstantOrNull = (at: number | undefined): string | null => (at === undefined ? null : isoInstant(at));
