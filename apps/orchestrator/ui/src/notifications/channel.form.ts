/**
 * Add or edit a channel. Fields follow the kind; secrets (URL, token, password, signing key) are
 * write-only: on edit an empty field keeps the stored one, and only the URL's host is shown.
 */
import { api } from '../api.js';
import {
  type CreateNotificationChannelDto,
  type NotificationCatalogDto,
  type NotificationChannelDto,
  type UpdateNotificationChannelDto,
} from '../api-types.generated.js';
import { clear, h } from '../dom.js';
import { type ChannelKind, KIND_FORMS } from './channel-kinds.js';
import { routingFieldset } from './routing.fieldset.js';

type Security = NonNullable<CreateNotificationChannelDto['smtpSecurity']>;
const DEFAULT_PORT: Record<Security, number> = { starttls: 587, tls: 465, none: 25 };

export interface ChannelForm {
  element: HTMLElement;
  edit(channel: NotificationChannelDto): void;
}

/** A label and its control, hidden together (the form is a two-column grid). */
function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('div', {}, control, hint === undefined ? null : h('div', { class: 'muted small', id: `${id}-hint` }, hint)),
  );
}

export function channelForm(
  catalog: NotificationCatalogDto,
  saved: (channel: NotificationChannelDto, verb: 'added' | 'saved') => void,
  failed: (message: string) => void,
): ChannelForm {
  let editing: NotificationChannelDto | null = null;
  const kind = h(
    'select',
    { id: 'ch-kind' },
    ...catalog.channelKinds.map((k) => h('option', { value: k }, KIND_FORMS[k].label)),
  );
  kind.value = 'SLACK';
  const name = h('input', { id: 'ch-name', required: true, placeholder: 'ops-alerts', autocomplete: 'off' });
  const url = h('input', { id: 'ch-url', type: 'url', autocomplete: 'off' });
  const token = h('input', { id: 'ch-token', type: 'password', autocomplete: 'new-password' });
  const tokenClear = h('input', { type: 'checkbox', id: 'ch-token-clear' });
  const signing = h('input', { id: 'ch-signing', type: 'password', autocomplete: 'new-password', minlength: '16' });
  const smtpHost = h('input', { id: 'ch-smtp-host', placeholder: 'smtp.example.com' });
  const security = h(
    'select',
    { id: 'ch-smtp-security' },
    h('option', { value: 'starttls' }, 'STARTTLS (port 587)'),
    h('option', { value: 'tls' }, 'Implicit TLS (port 465)'),
    h('option', { value: 'none' }, 'None: plain text (local relays only)'),
  );
  const port = h('input', { id: 'ch-smtp-port', type: 'number', min: '1', max: '65535', value: '587' });
  const smtpUser = h('input', { id: 'ch-smtp-user', autocomplete: 'off', placeholder: 'none: no authentication' });
  const smtpPass = h('input', { id: 'ch-smtp-pass', type: 'password', autocomplete: 'new-password' });
  const from = h('input', { id: 'ch-from', type: 'email', placeholder: 'nutfleet@example.com' });
  const to = h('input', { id: 'ch-to', placeholder: 'a@example.com, b@example.com' });
  const ca = h('textarea', { id: 'ch-ca', rows: '3', placeholder: '-----BEGIN CERTIFICATE-----' });
  const routing = routingFieldset(catalog);
  const title = h('h3', { id: 'ch-form-title' }, 'Add a channel');
  const note = h('p', { class: 'muted small', id: 'ch-form-note' });
  const submit = h('button', { type: 'submit', id: 'ch-save' }, 'Add channel');
  const cancel = h('button', { type: 'button', class: 'secondary', id: 'ch-cancel', hidden: true }, 'Cancel');

  const urlField = field('ch-url', 'URL', url, '');
  const tokenField = field('ch-token', 'Token', token);
  const tokenClearField = field('ch-token-clear', 'Remove the stored token', tokenClear);
  const signingField = field(
    'ch-signing',
    'Signing key (optional)',
    signing,
    'At least 16 characters; each body is signed in X-Nutfleet-Signature (HMAC-SHA256).',
  );
  const emailFields = [
    field('ch-smtp-host', 'SMTP server', smtpHost),
    field('ch-smtp-security', 'Security', security),
    field('ch-smtp-port', 'Port', port),
    field('ch-smtp-user', 'User', smtpUser),
    field('ch-smtp-pass', 'Password', smtpPass),
    field('ch-from', 'From', from),
    field('ch-to', 'To', to),
    field('ch-ca', 'CA certificate (optional)', ca, 'PEM of the CA of a private SMTP server; else the system CAs.'),
  ];

  /** Shows the fields of the chosen kind, with its labels and hints. */
  const show = (): void => {
    const form = KIND_FORMS[kind.value as ChannelKind];
    const stored = editing?.webhook ?? null;
    emailFields.forEach((f) => (f.hidden = form.url !== undefined));
    urlField.hidden = form.url === undefined;
    // A hidden field must not be required: the browser would refuse to submit, silently.
    url.required = false;
    token.required = false;
    if (form.url !== undefined) {
      (urlField.querySelector('label') as HTMLLabelElement).textContent = `${form.url.label} (stored sealed)`;
      url.placeholder = stored === null ? form.url.placeholder : `keep the current one (${stored.urlHost})`;
      url.required = stored === null;
      clear(urlField.querySelector('#ch-url-hint') as HTMLElement, form.url.hint);
    }
    tokenField.hidden = form.token === undefined;
    if (form.token !== undefined) {
      (tokenField.querySelector('label') as HTMLLabelElement).textContent = form.token.label;
      token.placeholder = stored?.hasToken === true ? 'keep the current one' : '';
      token.required = form.token.required && stored?.hasToken !== true;
    }
    tokenClearField.hidden = form.token?.required !== false || stored?.hasToken !== true;
    signingField.hidden = form.signing !== true;
    signing.placeholder = stored?.hasSigningSecret === true ? 'keep the current one' : '';
    smtpPass.placeholder = editing?.email?.hasPassword === true ? 'keep the current one' : '';
  };
  kind.addEventListener('change', show);
  // A default port follows the security setting; a port typed by hand stays.
  let previousSecurity: Security = 'starttls';
  security.addEventListener('change', () => {
    if (Number(port.value) === DEFAULT_PORT[previousSecurity])
      port.value = String(DEFAULT_PORT[security.value as Security]);
    previousSecurity = security.value as Security;
  });

  const form = h(
    'form',
    { class: 'panel grid2', id: 'channel-form', 'aria-labelledby': 'ch-form-title' },
    field('ch-kind', 'Kind', kind),
    field('ch-name', 'Name', name),
    urlField,
    tokenField,
    tokenClearField,
    signingField,
    ...emailFields,
    h('div', { class: 'wide' }, routing.element),
    h('div', { class: 'wide actions' }, submit, cancel),
  );

  const reset = (): void => {
    editing = null;
    form.reset();
    kind.disabled = false;
    kind.value = 'SLACK';
    previousSecurity = 'starttls';
    // A new channel: every event of warning level and above, until the admin narrows it.
    routing.set({ eventTypes: [], minSeverity: 'WARNING' });
    title.textContent = 'Add a channel';
    note.textContent = '';
    submit.textContent = 'Add channel';
    cancel.hidden = true;
    show();
  };
  cancel.addEventListener('click', reset);

  /** The fields of this kind that the user filled (on edit, an empty secret keeps the stored one). */
  const body = (k: ChannelKind): UpdateNotificationChannelDto => {
    const route = routing.route();
    const common: UpdateNotificationChannelDto = { name: name.value.trim(), routes: route === null ? [] : [route] };
    const form = KIND_FORMS[k];
    if (form.url === undefined) {
      return {
        ...common,
        smtpHost: smtpHost.value.trim(),
        smtpSecurity: security.value as Security,
        smtpPort: Number(port.value),
        smtpUsername: smtpUser.value.trim() === '' ? null : smtpUser.value.trim(),
        ...(smtpPass.value === '' ? {} : { smtpPassword: smtpPass.value }),
        smtpFrom: from.value.trim(),
        smtpTo: to.value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        ...(ca.value.trim() === '' ? {} : { smtpCaPem: ca.value.trim() }),
      };
    }
    return {
      ...common,
      ...(url.value.trim() === '' ? {} : { webhookUrl: url.value.trim() }),
      ...(form.token === undefined
        ? {}
        : tokenClear.checked
          ? { webhookToken: null }
          : token.value === ''
            ? {}
            : { webhookToken: token.value }),
      ...(form.signing === true && signing.value !== '' ? { webhookSigningSecret: signing.value } : {}),
    };
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const k = kind.value as ChannelKind;
    const current = editing;
    const request =
      current === null
        ? api<NotificationChannelDto, CreateNotificationChannelDto>('POST', '/notifications/channels', {
            ...body(k),
            name: name.value.trim(),
            kind: k,
          })
        : api<NotificationChannelDto, UpdateNotificationChannelDto>(
            'PATCH',
            `/notifications/channels/${current.id}`,
            body(k),
          );
    submit.disabled = true;
    request
      .then((channel) => {
        reset();
        saved(channel, current === null ? 'added' : 'saved');
      })
      .catch((error: Error) => failed(error.message))
      .finally(() => (submit.disabled = false));
  });

  reset();
  return {
    element: h('section', { 'aria-label': 'Channel form' }, title, note, form),
    edit(channel) {
      reset();
      editing = channel;
      kind.value = channel.kind;
      kind.disabled = true;
      name.value = channel.name;
      if (channel.email !== null) {
        smtpHost.value = channel.email.host;
        security.value = channel.email.security;
        previousSecurity = channel.email.security;
        port.value = String(channel.email.port);
        smtpUser.value = channel.email.username ?? '';
        from.value = channel.email.from;
        to.value = channel.email.to.join(', ');
      }
      routing.set(channel.routes[0] ?? null);
      title.textContent = `Edit ${channel.name}`;
      note.textContent =
        channel.routes.length > 1
          ? `This channel has ${channel.routes.length} routes (set through the API); saving replaces them with the one below.`
          : 'Empty secret fields keep what is stored.';
      submit.textContent = 'Save changes';
      cancel.hidden = false;
      show();
      name.focus();
    },
  };
}
