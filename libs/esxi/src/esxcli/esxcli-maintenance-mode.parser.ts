import { OutputParseError } from '../parsing/output-parse-error';

/** `esxcli system maintenanceMode get`: "Enabled" or "Disabled". */
export function parseMaintenanceMode(text: string): boolean {
  const word = text.trim().toLowerCase();
  if (word === 'enabled') return true;
  if (word === 'disabled') return false;
  throw new OutputParseError(`expected Enabled or Disabled, got ${JSON.stringify(text.trim())}`);
}
