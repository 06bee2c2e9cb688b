/**
 * The UserVars.Nut* options NutClient-ESXi's upsmon-install creates, per project version:
 * options and ranges changed across releases (docs/ESXI.md, UserVars per release), and upgrades
 * keep values.
 */
import { intOption, stringOption, type AdvancedOptionDefinition } from './advanced-settings';
import { compareVersions } from './esxi-version.profiles';

export const NUT_USER_VAR_NAMES = [
  'NutUpsName',
  'NutUser',
  'NutPassword',
  'NutMailTo',
  'NutSmtpRelay',
  'NutFinalDelay',
  'NutSendMail',
  'NutMinSupplies',
  'NutOnBatteryDelay',
] as const;
export type NutUserVarName = (typeof NUT_USER_VAR_NAMES)[number];

/** Project version from a VIB version such as `2.8.5-2.7.3` (NUT version, dash, project version). */
export function projectVersionOf(vibVersion: string): string {
  const dash = vibVersion.indexOf('-');
  return dash < 0 ? vibVersion : vibVersion.slice(dash + 1);
}

export function nutUserVarDefinitions(vibVersion: string): AdvancedOptionDefinition[] {
  const project = projectVersionOf(vibVersion);
  const atLeast = (v: string): boolean => compareVersions(project, v) >= 0;
  const defs: AdvancedOptionDefinition[] = [
    stringOption(
      '/UserVars/NutUpsName',
      'upsname@nutserver',
      'NUT remote ups name (eg: upsname@nutserver) use space as a separator for multiple upses',
    ),
    stringOption('/UserVars/NutUser', 'upsuser', 'NUT username to connect to remote ups'),
    stringOption('/UserVars/NutPassword', 'upspassword', 'NUT password to connect to remote ups'),
    stringOption('/UserVars/NutMailTo', 'root@domain', 'NUT send mail notification to this address'),
  ];
  if (atLeast('2.6.0'))
    defs.push(
      stringOption(
        '/UserVars/NutSmtpRelay',
        atLeast('2.6.1') ? 'none' : '',
        'NUT SMTP relay server (none for direct delivery)',
      ),
    );
  defs.push(
    intOption(
      '/UserVars/NutFinalDelay',
      5,
      0,
      3600,
      'NUT seconds to wait after low battery event before shutting down',
    ),
  );
  defs.push(
    intOption(
      '/UserVars/NutSendMail',
      0,
      0,
      atLeast('2.6.0') ? 2 : 1,
      'NUT send mail notification (1=yes 0=no 2=verbose)',
    ),
  );
  if (atLeast('2.2.0'))
    defs.push(
      intOption(
        '/UserVars/NutMinSupplies',
        1,
        1,
        10,
        'NUT number of power supplies needed to keep this system running',
      ),
    );
  if (atLeast('2.4.0'))
    defs.push(
      intOption(
        '/UserVars/NutOnBatteryDelay',
        0,
        0,
        86400,
        'NUT seconds on battery before shutting down (0 = wait for low battery)',
      ),
    );
  return defs;
}
