/**
 * Which characters each string option may hold. The VIB's init script pastes the values,
 * unquoted, into `MONITOR <ups> 1 <user> <password> secondary` in upsmon.conf and into
 * notify.conf through `sed s/.../<value>/` (docs/ESXI.md, Generated configuration): whitespace
 * splits a MONITOR field, `/`, `&` and `\` break the sed expression, quotes and `#` change how
 * NUT's config parser reads the line, and `$`, backticks, `;` or newlines would be live in
 * notify.conf, which notify.sh sources as shell. So each field gets an allow-list, not a deny-list.
 */
import { type NutStringVarName } from './nut-user-var.definitions';

export interface ValueRule {
  readonly pattern: RegExp;
  /** One allowed character, to name the first offending one. */
  readonly chars: RegExp;
  /** Shown in the error: what the field may contain. */
  readonly allowed: string;
  readonly maxLength: number;
}

const HOST = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])`;
const UPS = String.raw`[A-Za-z0-9_.-]{1,64}@${HOST}(?::\d{1,5})?`;

export const STRING_VALUE_RULES: Readonly<Record<NutStringVarName, ValueRule>> = {
  NutUpsName: {
    pattern: new RegExp(`^${UPS}(?: ${UPS})*$`),
    chars: /[A-Za-z0-9_.@:[\] -]/,
    allowed: 'ups@server[:port] entries separated by single spaces (letters, digits, "_", ".", "-")',
    maxLength: 1024,
  },
  NutUser: {
    pattern: /^[A-Za-z0-9_.@+-]+$/,
    chars: /[A-Za-z0-9_.@+-]/,
    allowed: 'letters, digits and _ . @ + -',
    maxLength: 64,
  },
  NutPassword: {
    pattern: /^[A-Za-z0-9_.@+%=:,^~!?*-]+$/,
    chars: /[A-Za-z0-9_.@+%=:,^~!?*-]/,
    allowed: 'letters, digits and _ . @ + % = : , ^ ~ ! ? * - (no spaces, quotes, /, &, \\, $, `, ;, #)',
    maxLength: 128,
  },
  NutMailTo: {
    pattern: /^[A-Za-z0-9_.+-]+@[A-Za-z0-9.-]+$/,
    chars: /[A-Za-z0-9_.+@-]/,
    allowed: 'one address such as ops@example.com (letters, digits, _ . + - and one @)',
    maxLength: 254,
  },
  NutSmtpRelay: {
    pattern: new RegExp(`^(?:none|${HOST})$`),
    chars: /[A-Za-z0-9.:[\]-]/,
    allowed: '"none" or a host name / IP address (smtpblast takes no port)',
    maxLength: 253,
  },
};

/** Undefined when acceptable; otherwise why not (never echoing a password). */
export function checkStringValue(name: NutStringVarName, value: string): string | undefined {
  const rule = STRING_VALUE_RULES[name];
  const shown = name === 'NutPassword' ? 'the value' : JSON.stringify(value);
  if (value === '') return `${name} must not be empty (ESXi 6.7 and the VIB's scripts mis-handle empty values)`;
  if (value.length > rule.maxLength) return `${name} is longer than ${rule.maxLength} characters`;
  if (!rule.pattern.test(value)) {
    const bad = [...value].find((c) => !rule.chars.test(c));
    const which = bad === undefined ? '' : ` (offending character ${describeChar(bad)})`;
    return `${name}: ${shown} is refused${which}; allowed: ${rule.allowed}. The VIB's scripts paste it unquoted into upsmon.conf and notify.conf.`;
  }
  return undefined;
}

function describeChar(c: string): string {
  if (c === '\n') return 'newline';
  if (c === '\r') return 'carriage return';
  if (c === '\t') return 'tab';
  if (c === ' ') return 'space';
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code > 0x7e ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(c);
}
