/**
 * #/rollouts/new: upload a NutClient VIB or offline bundle (admin), then start a rollout — what
 * to deploy, on which hosts, canary first, waves, pauses, failure ratio and acceptance level.
 */
import { api, apiRaw, session } from '../api.js';
import {
  type ArtifactDto,
  type CreateRolloutDto,
  type GroupDto,
  type HostDto,
  type RolloutDetailDto,
} from '../api-types.generated.js';
import { clear, h, notice } from '../dom.js';
import { entityForm, fieldsFromSchema } from './entity-form.js';
import { listAll } from './list-all.js';
import { requestSchema } from './openapi-schema.js';

/** How many hosts each wave takes: the canary alone, then maxInFlight at a time. */
export function waveSizes(hosts: number, canary: number, perWave: number): number[] {
  const sizes: number[] = [];
  const first = Math.min(canary, hosts);
  if (first > 0) sizes.push(first);
  for (let left = hosts - first; left > 0; left -= perWave) sizes.push(Math.min(perWave, left));
  return sizes;
}

export function rolloutWizardView(root: HTMLElement): () => void {
  const message = h('div', { id: 'wizard-message' });
  const say = (text: string, tone: 'info' | 'error' = 'info'): void => clear(message, notice(text, tone));
  const artifactRows = h('tbody', {});
  const formSlot = h('div', {});
  let artifacts: ArtifactDto[] = [];
  let hosts: HostDto[] = [];
  let groups: GroupDto[] = [];

  const loadArtifacts = async (): Promise<void> => {
    artifacts = await api<ArtifactDto[]>('GET', '/artifacts');
    clear(
      artifactRows,
      ...(artifacts.length === 0
        ? [h('tr', {}, h('td', { colspan: '5', class: 'muted' }, 'No artifact uploaded yet.'))]
        : artifacts.map((a) =>
            h(
              'tr',
              { 'data-id': a.id },
              h('td', {}, h('strong', {}, a.fileName)),
              h('td', {}, `${a.name} ${a.version}`),
              h('td', {}, a.kind),
              h('td', {}, a.acceptanceLevel),
              h(
                'td',
                { class: 'small muted' },
                `${Math.round(a.sizeBytes / 1024)} KiB, sha256 ${a.sha256.slice(0, 12)}…`,
              ),
            ),
          )),
    );
  };

  const file = h('input', { type: 'file', id: 'artifact-file', accept: '.vib,.zip' });
  const upload = async (): Promise<void> => {
    const picked = file.files?.[0];
    if (!picked) return say('Pick a .vib or offline bundle .zip first.', 'error');
    say(`Uploading ${picked.name}…`);
    try {
      const a = await apiRaw<ArtifactDto>(
        'POST',
        `/artifacts?fileName=${encodeURIComponent(picked.name)}`,
        'application/octet-stream',
        picked,
      );
      say(`Uploaded ${a.name} ${a.version} (${a.acceptanceLevel}).`);
      await loadArtifacts();
      await buildForm();
    } catch (error) {
      say((error as Error).message, 'error');
    }
  };

  // Targets: every host, or the ticked hosts / groups / tags; optionally only the drifted ones.
  const everyHost = h('input', { type: 'checkbox', id: 'ro-all', checked: true });
  const drifted = h('input', { type: 'checkbox', id: 'ro-drifted' });
  const tags = h('input', { id: 'ro-tags', placeholder: 'tag1, tag2' });
  const hostList = h('div', { id: 'ro-hosts', class: 'event-groups' });
  const groupList = h('div', { id: 'ro-groups', class: 'event-groups' });
  const summary = h('p', { id: 'ro-waves', class: 'muted', 'aria-live': 'polite' });
  const ticked = (list: HTMLElement): string[] =>
    [...list.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value);
  const target = (): CreateRolloutDto['target'] => {
    const t: CreateRolloutDto['target'] = everyHost.checked ? { all: true } : {};
    if (!everyHost.checked) {
      const ids = ticked(hostList);
      const gs = ticked(groupList);
      const ts = tags.value.split(/[,\s]+/).filter((x) => x !== '');
      if (ids.length > 0) t.hosts = ids;
      if (gs.length > 0) t.groups = gs;
      if (ts.length > 0) t.tags = ts;
    }
    if (drifted.checked) t.drifted = true;
    return t;
  };
  const targetCount = (): number => {
    if (everyHost.checked) return hosts.length;
    const picked = new Set(ticked(hostList));
    const gs = new Set(ticked(groupList));
    const ts = tags.value.split(/[,\s]+/).filter((x) => x !== '');
    return hosts.filter(
      (x) => picked.has(x.id) || (x.groupId !== null && gs.has(x.groupId)) || x.tags.some((t) => ts.includes(t)),
    ).length;
  };

  const action = h(
    'select',
    { id: 'ro-action' },
    ...['install', 'upgrade', 'configure', 'uninstall'].map((a) => h('option', { value: a }, a)),
  );
  const artifact = h('select', { id: 'ro-artifact' });

  const buildForm = async (): Promise<void> => {
    const schema = await requestSchema('CreateRolloutDto');
    clear(artifact, ...artifacts.map((a) => h('option', { value: a.id }, `${a.name} ${a.version} (${a.fileName})`)));
    clear(
      hostList,
      ...hosts.map((x) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', value: x.id }),
          `${x.name} (${x.vibVersion ?? 'no VIB'})`,
        ),
      ),
    );
    clear(
      groupList,
      ...groups.map((g) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: g.id }), g.name)),
    );
    const fields = fieldsFromSchema(schema, {
      action: 'skip',
      artifactId: 'skip',
      target: 'skip',
      canaryCount: {
        label: 'Canary hosts',
        default: 1,
        help: 'Hosts in the first wave, alone: the rollout stops there if they fail.',
      },
      maxInFlight: { label: 'Hosts per wave', default: 10 },
      pauseSeconds: { label: 'Pause between waves (s)', default: 0 },
      maxFailureRatio: { label: 'Max. failure ratio (0-1)', default: 0.1 },
      allowAcceptanceChange: {
        label: 'Allow acceptance level change',
        help:
          'The NutClient VIB is CommunitySupported: hosts at PartnerSupported or higher refuse it unless their ' +
          'acceptance level may be lowered (esxcli software acceptance set). Secure Boot hosts refuse it anyway.',
      },
    });
    const update = (): void => {
      const canary = Number((document.getElementById('ro-canaryCount') as HTMLInputElement | null)?.value || 1);
      const per = Number((document.getElementById('ro-maxInFlight') as HTMLInputElement | null)?.value || 10);
      const n = targetCount();
      const sizes = waveSizes(n, canary, Math.max(1, per));
      clear(
        summary,
        drifted.checked ? 'At most ' : '',
        `${n} host(s): `,
        sizes.length === 0
          ? 'none'
          : sizes.map((s, i) => `wave ${i + 1}: ${s}${i === 0 && canary > 0 ? ' (canary)' : ''}`).join(', '),
        '.',
      );
    };
    const targets = h(
      'div',
      {},
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'ro-action' }, 'Action'),
        h('div', {}, action, h('div', { class: 'muted small' }, schema.properties.action?.description ?? '')),
      ),
      h('div', { class: 'field' }, h('label', { for: 'ro-artifact' }, 'Artifact'), h('div', {}, artifact)),
      h(
        'fieldset',
        { class: 'routing' },
        h('legend', {}, 'Targets'),
        h('label', { class: 'check' }, everyHost, 'Every host'),
        h('label', { class: 'check' }, drifted, 'Only hosts whose VIB or settings drifted'),
        h('p', { class: 'muted small' }, 'Or untick "Every host" and pick hosts, groups or tags:'),
        hostList,
        groupList,
        h('label', { for: 'ro-tags' }, 'Tags'),
        tags,
      ),
      summary,
    );
    const form = entityForm<{ id: string }>({
      prefix: 'ro',
      noun: 'rollout',
      fields,
      header: targets,
      createLabels: { title: 'Start a rollout', submit: 'Start rollout' },
      failed: (m) => say(m, 'error'),
      submit: async (body) => {
        const needsArtifact = action.value === 'install' || action.value === 'upgrade';
        const created = await api<RolloutDetailDto, Record<string, unknown>>('POST', '/rollouts', {
          ...body,
          action: action.value,
          ...(needsArtifact && artifact.value !== '' ? { artifactId: artifact.value } : {}),
          target: target(),
        });
        location.hash = `#/rollouts/${created.id}`;
      },
    });
    form.element.addEventListener('input', update);
    form.element.addEventListener('change', update);
    clear(formSlot, form.element);
    update();
  };

  clear(
    root,
    h('p', {}, h('a', { href: '#/rollouts' }, '← Rollouts')),
    h('h2', {}, 'New rollout'),
    message,
    h(
      'section',
      { class: 'panel', id: 'artifacts-section' },
      h('h3', {}, 'Artifacts'),
      h(
        'table',
        { id: 'artifact-table' },
        h('thead', {}, h('tr', {}, ...['File', 'VIB', 'Kind', 'Acceptance', ''].map((t) => h('th', {}, t)))),
        artifactRows,
      ),
      session.can('admin')
        ? h(
            'div',
            { class: 'actions' },
            file,
            h('button', { type: 'button', id: 'artifact-upload', onclick: () => void upload() }, 'Upload'),
          )
        : h('p', { class: 'muted small' }, 'Uploading needs an admin token.'),
    ),
    session.can('operator') ? formSlot : notice('Starting a rollout needs an operator token.', 'info'),
  );
  void Promise.all([
    loadArtifacts(),
    listAll<HostDto>('/hosts').then((x) => (hosts = x)),
    listAll<GroupDto>('/groups').then((g) => (groups = g)),
  ])
    .then(() => (session.can('operator') ? buildForm() : undefined))
    .catch((e: Error) => say(e.message, 'error'));
  return () => undefined;
}
