import { OutputParseError } from '../parsing/output-parse-error';

export const ACCEPTANCE_LEVELS = [
  'VMwareCertified',
  'VMwareAccepted',
  'PartnerSupported',
  'CommunitySupported',
] as const;
export type AcceptanceLevel = (typeof ACCEPTANCE_LEVELS)[number];

/** `esxcli software acceptance get`: a single word. */
export function parseAcceptanceLevel(text: string): AcceptanceLevel {
  const word = text.trim();
  const level = ACCEPTANCE_LEVELS.find((l) => l.toLowerCase() === word.toLowerCase());
  if (level === undefined) throw new OutputParseError(`unknown acceptance level ${JSON.stringify(word)}`);
  return level;
}
