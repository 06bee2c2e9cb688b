/**
 * The NUT protocol carries no timestamps; a few drivers report the UPS clock as `ups.date` +
 * `ups.time`. When both parse, that is the server-side observation time (taken as UTC: NUT
 * gives no zone); otherwise null, and only our receive time is known.
 */
export function serverObservedAt(variables: Readonly<Record<string, string>>): Date | null {
  const date = variables['ups.date']?.trim();
  const time = variables['ups.time']?.trim();
  if (date === undefined || time === undefined) return null;
  const t = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(time);
  if (t === null) return null;
  let ymd: [number, number, number] | null = null;
  const iso = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(date);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date);
  if (iso !== null) ymd = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (us !== null) ymd = [Number(us[3]), Number(us[1]), Number(us[2])];
  if (ymd === null) return null;
  const [hours, minutes, seconds] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const [year, month, day] = ymd;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 59) return null;
  const value = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  // Reject rollovers (Feb 31 → Mar 3) rather than invent a date.
  if (value.getUTCDate() !== day) return null;
  return value;
}
