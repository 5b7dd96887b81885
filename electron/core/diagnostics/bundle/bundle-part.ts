/**
 * One file of the diagnostics bundle before redaction. `json` parts are redacted field by
 * field (secret-named fields blanked), `text` parts line by line; both then by value.
 */
export type BundlePart = { path: string; json: unknown } | { path: string; text: string };

/** A part that could not be collected: the bundle is still written, and says what is missing and why. */
export interface MissingPart {
  part: string;
  code: string;
  detail: string;
}
