/** "esx-01, esx-02 and 3 more": names in a message without letting a big fleet swamp it. */
export function nameList(names: readonly string[], max = 20): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** "It feeds 2 hosts: esx-01, esx-02." / "They feed no host." */
export function feedsSentence(hosts: readonly string[], subject: 'It' | 'They' = 'It'): string {
  const verb = subject === 'It' ? 'It feeds' : 'They feed';
  if (hosts.length === 0) return `${verb} no host.`;
  return `${verb} ${hosts.length} host${hosts.length === 1 ? '' : 's'}: ${nameList(hosts)}.`;
}
