import { ApiError, systemNow } from './api.ts';
import type { ViewContext } from './context.ts';
import { type Child, h, replace } from './dom.ts';
import { formatDateTime, formatLocalDate } from './format.ts';
import { FormErrors, type FormField, confirmStep, formField, onValidSubmit } from './forms.ts';
import { remember } from './fresh.ts';
import { pick, t } from './i18n.ts';
import type { Act, ActField, AllowedAct, ListedObligation, Obligation, ObligationDetail, Organisation, Texts } from './types.ts';

/**
 * Recording an act. The dashboard offers exactly the acts the API allows this caller on this
 * obligation now (`allowedActs` of GET /obligations/{id}: the catalog's authority and the
 * obligation's state), each with its date and time (now by default, at +05:00), a note, the
 * fields the act needs, and a confirmation that says in plain words what will happen before
 * anything is sent. A refusal of the API is shown by the field it names; nothing is recorded.
 */

/** An event's name in the timeline: every act and everything Merzim does. */
export function eventName(type: string): string {
  const names: Readonly<Record<string, string>> = t().events;
  return names[type] ?? type;
}

/** The button that chooses an act. */
export function actLabel(act: Act): string {
  return t().actChoice[act] ?? eventName(act);
}

/** Acts that end or refuse something: drawn as such. */
const GRAVE: ReadonlySet<Act> = new Set(['refused', 'cancelled', 'extension-refused']);

/** The remark's shortest length (shared/base/text.ts REFERENCE_LIMITS.remark). */
const REMARK_MIN = 3;
const REMARK_MAX = 500;
/** An act dated further back than this needs a reason (shared/obligations/lifecycle.ts). */
const LATE_AFTER_MS = 72 * 3600_000;

let count = 0;

/*
 * Dates are typed as the page writes them everywhere (`19.03.2026 15:20`, at +05:00), not in a
 * native picker: a picker shows the browser's own locale and zone conventions (04/10/2026, 04:00
 * PM), which are not Kazakhstan's and differ from one office's browser to the next.
 */
const pad = (n: number): string => String(n).padStart(2, '0');

/** `19.03.2026 15:20` or `19.03.2026` (time optional) as its parts, if it is a real date and time. */
function partsOf(text: string, withTime: boolean): { date: string; time: string } | undefined {
  const match = withTime ? /^(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2})[:.](\d{2})$/.exec(text.trim()) : /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  if (match === null) return undefined;
  const [day, month, year, hour, minute] = [match[1], match[2], match[3], match[4] ?? '0', match[5] ?? '0'].map(Number) as [number, number, number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || check.getUTCHours() !== hour || check.getUTCMinutes() !== minute) return undefined;
  return { date: `${year}-${pad(month)}-${pad(day)}`, time: `${pad(hour)}:${pad(minute)}` };
}

/** The instant typed (`19.03.2026 15:20`, at +05:00), as the API takes it, or undefined. */
export function instantTyped(text: string): string | undefined {
  const parts = partsOf(text, true);
  return parts === undefined ? undefined : `${parts.date}T${parts.time}:00+05:00`;
}

/** The calendar day typed (`30.04.2026`) as YYYY-MM-DD, or undefined. */
export function dayTyped(text: string): string | undefined {
  return partsOf(text, false)?.date;
}

/** What the dashboard reads of a rule's catalog entry (GET /rules/{id}): who a transfer moves, and the ground of a pause. */
interface RuleAuthority {
  readonly transfers?: 'acting-body' | 'issuer';
  readonly pause?: { readonly ground: Texts };
}

const rules = new Map<string, Promise<RuleAuthority>>();

function authorityOf(context: ViewContext, rule: string): Promise<RuleAuthority> {
  let found = rules.get(rule);
  if (found === undefined) {
    found = context.api
      .get<{ rule?: { authority?: RuleAuthority } }>(`/rules/${encodeURIComponent(rule)}`)
      .then((answer) => answer.rule?.authority ?? {})
      .catch(() => {
        rules.delete(rule);
        return {};
      });
    rules.set(rule, found);
  }
  return found;
}

/** The unit a transfer moves: the acting body's, or the issuer's (a case passing to another commission). */
function movedUnit(obligation: ListedObligation, authority: RuleAuthority): string {
  return authority.transfers === 'issuer' && obligation.issuedBy !== undefined ? obligation.issuedBy : obligation.org;
}

/** The units a case may be handed over to: of the same kind as the one it leaves. */
function unitsLike(context: ViewContext, current: string): Organisation[] {
  const kind = context.organisations.get(current)?.kind;
  return [...context.organisations.values()]
    .filter((organisation) => organisation.kind === kind && organisation.org !== current)
    .sort((a, b) => pick(a.names).localeCompare(pick(b.names)));
}

function unitName(context: ViewContext, org: string): string {
  return pick(context.organisations.get(org)?.names, org);
}

async function stillSeen(context: ViewContext, id: string): Promise<boolean> {
  try {
    await context.api.get(`/obligations/${encodeURIComponent(id)}`);
    return true;
  } catch (failure) {
    return !(failure instanceof ApiError && failure.status === 404);
  }
}

/**
 * For a card of a work list: a button that fetches what the caller may record on this
 * obligation now (one request, when asked) and opens the panel of those acts.
 */
export function actLauncher(obligation: ListedObligation, context: ViewContext, describedBy?: string): HTMLElement {
  const m = t();
  const holderId = `acts-${++count}`;
  const holder = h('div', { class: 'act-holder', id: holderId, hidden: true });
  const button = h('button', { type: 'button', class: 'secondary', 'data-action': 'acts', 'aria-expanded': 'false', 'aria-controls': holderId, 'aria-describedby': describedBy }, m.recordAct);
  button.addEventListener('click', () => {
    if (button.getAttribute('aria-expanded') === 'true') {
      holder.hidden = true;
      replace(holder);
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    button.disabled = true;
    context.api
      .get<ObligationDetail>(`/obligations/${encodeURIComponent(obligation.id)}`)
      .then((detail) => {
        replace(holder, actPanel(detail.obligation, detail.allowedActs, context));
        holder.hidden = false;
        button.setAttribute('aria-expanded', 'true');
        (holder.querySelector<HTMLElement>('button[data-act]') ?? holder).focus();
      })
      .catch((failure: unknown) => {
        replace(holder, h('p', { class: 'field-error' }, `${m.failed}: ${failure instanceof Error ? failure.message : String(failure)}`));
        holder.hidden = false;
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return h('div', { class: 'act-launcher' }, button, holder);
}

/** The acts this caller may record now, one button each; choosing one opens its form. */
export function actPanel(obligation: ListedObligation, allowed: readonly AllowedAct[], context: ViewContext): HTMLElement {
  const m = t();
  if (allowed.length === 0) return h('p', { class: 'note', 'data-acts': 'none' }, m.noActs);
  const step = h('div', { class: 'act-step' });
  const choices = allowed.map((option) =>
    h('button', { type: 'button', class: GRAVE.has(option.act) ? 'danger' : 'secondary', 'data-act': option.act, 'aria-pressed': 'false' }, actLabel(option.act)),
  );
  const close = (): void => {
    replace(step);
    for (const choice of choices) choice.setAttribute('aria-pressed', 'false');
  };
  allowed.forEach((option, i) => {
    const choice = choices[i] as HTMLButtonElement;
    choice.addEventListener('click', () => {
      for (const other of choices) other.setAttribute('aria-pressed', other === choice ? 'true' : 'false');
      const needsRule = option.needs.includes('org') || option.act === 'suspended';
      void Promise.all([systemNow(context.config), needsRule ? authorityOf(context, obligation.rule) : Promise.resolve<RuleAuthority>({})]).then(([now, authority]) => {
        if (choice.getAttribute('aria-pressed') !== 'true') return;
        replace(step, actForm(obligation, option, context, { now, authority, close }));
        step.querySelector<HTMLElement>('input, select')?.focus();
      });
    });
  });
  return h(
    'div',
    { class: 'act-panel', 'data-obligation': obligation.id },
    h('div', { class: 'act-choice', role: 'group', 'aria-label': m.chooseAct }, h('p', { class: 'legend' }, m.chooseAct), choices),
    step,
  );
}

/** The fields of an act's form, each with its label, hint and error. */
type FieldName = ActField | 'at' | 'note';

type Field = FormField<FieldName>;

function textInput(value = ''): HTMLInputElement {
  return h('input', { type: 'text', class: 'wide', autocomplete: 'off', maxlength: REMARK_MAX, value });
}

function dateInput(value: string, placeholder: string): HTMLInputElement {
  return h('input', { type: 'text', class: 'when', autocomplete: 'off', spellcheck: 'false', maxlength: 20, placeholder, value });
}

interface FormOptions {
  readonly now: number;
  readonly authority: RuleAuthority;
  readonly close: () => void;
}

/** One act's form: its time, the fields it needs, a note; then its confirmation; then the API. */
function actForm(obligation: ListedObligation, { act, needs }: AllowedAct, context: ViewContext, { now, authority, close }: FormOptions): HTMLElement {
  const m = t();
  const id = `act-${++count}`;
  const caseRef = `${obligation.caseRef}${obligation.label === undefined ? '' : ` · ${obligation.label}`}`;

  const at = formField(id, 'at', m.atLabel, dateInput(formatDateTime(now), m.dateTimePlaceholder), m.atHint);
  const fields: Field[] = [at];
  const byName = new Map<FieldName, Field>([['at', at]]);
  const add = (one: Field): void => {
    fields.push(one);
    byName.set(one.name, one);
  };
  if (needs.includes('start')) add(formField(id, 'start', m.fieldLabels.start, dateInput(formatDateTime(obligation.start), m.dateTimePlaceholder)));
  if (needs.includes('dueDate')) {
    // Granting an extension offers the day asked for.
    const asked = act === 'extended' && obligation.requestedDueDate !== undefined ? formatLocalDate(obligation.requestedDueDate) : '';
    add(formField(id, 'dueDate', m.fieldLabels.dueDate, dateInput(asked, m.datePlaceholder)));
  }
  if (needs.includes('org')) {
    const select = h(
      'select',
      {},
      h('option', { value: '' }, m.chooseUnit),
      unitsLike(context, movedUnit(obligation, authority)).map((unit) => h('option', { value: unit.org }, pick(unit.names))),
    );
    add(formField(id, 'org', `${m.fieldLabels.org} (${unitName(context, movedUnit(obligation, authority))} →)`, select));
  }
  if (needs.includes('assignee')) {
    // An official takes an unassigned obligation for themselves; a head writes whom it goes to.
    const input = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: 63, value: obligation.assignee === undefined ? context.session.user : '' });
    add(formField(id, 'assignee', m.fieldLabels.assignee, input));
  }
  // The reason: asked for when the act needs one, and when it is dated over 72 hours back.
  const reasonNeeded = needs.includes('reason');
  const reason = formField(id, 'reason', m.fieldLabels.reason, textInput(), reasonNeeded ? undefined : m.lateReason);
  add(reason);
  const note = formField(id, 'note', m.noteLabel, textInput());
  add(note);

  const late = (): boolean => {
    const instant = instantTyped(at.input.value);
    return instant !== undefined && Date.parse(instant) < now - LATE_AFTER_MS;
  };
  const reasonAsked = (): boolean => reasonNeeded || late();
  const showReason = (): void => {
    reason.wrap.hidden = !reasonAsked();
  };
  showReason();
  at.input.addEventListener('input', showReason);
  at.input.addEventListener('change', showReason);

  const general = h('p', { class: 'field-error', 'data-field': 'act', hidden: true, role: 'alert' });
  const pause = act === 'suspended' && authority.pause !== undefined ? h('p', { class: 'note' }, `${m.pauseGround}: ${pick(authority.pause.ground)}`) : null;
  const buttons = h(
    'div',
    { class: 'buttons' },
    h('button', { type: 'submit', 'data-action': 'continue' }, m.continueAct),
    h('button', { type: 'button', class: 'secondary', 'data-action': 'close', onclick: close }, m.closeActs),
  );
  // While the confirmation asks, the form stays in sight, read-only: what is confirmed is what was filled.
  const fieldset = h('fieldset', { class: 'act-fields' }, fields.map((one) => one.wrap));
  const form = h(
    'form',
    { class: 'act-form', 'data-act': act, novalidate: true, 'aria-label': `${actLabel(act)}: ${caseRef}` },
    h('p', { class: 'act-title' }, actLabel(act)),
    pause,
    fieldset,
    general,
    buttons,
  );
  const confirmation = h('div', { class: 'act-confirm', hidden: true });
  const container = h('div', { class: 'act-step-body' }, form, confirmation);

  const errors = new FormErrors<Field>({
    fields,
    find: (name) => byName.get(name as FieldName),
    general,
    fallback: () => form.querySelector<HTMLElement>('button[data-action="continue"]'),
  });

  /** The request as the form stands, or the fields that are wrong. */
  const draft = (): { request: Record<string, string> } | { wrong: [FieldName, string][] } => {
    const wrong: [FieldName, string][] = [];
    const request: Record<string, string> = { act };
    const example = formatDateTime(now);
    const instant = instantTyped(at.input.value);
    if (at.input.value.trim() === '') wrong.push(['at', m.required]);
    else if (instant === undefined) wrong.push(['at', m.writeDateTime(example)]);
    else request['at'] = instant;
    for (const name of ['start', 'dueDate', 'org', 'assignee'] as const) {
      const one = byName.get(name);
      if (one === undefined) continue;
      const value = one.input.value.trim();
      if (value === '') {
        wrong.push([name, m.required]);
        continue;
      }
      if (name === 'start') {
        const start = instantTyped(value);
        if (start === undefined) wrong.push([name, m.writeDateTime(example)]);
        else request[name] = start;
      } else if (name === 'dueDate') {
        const day = dayTyped(value);
        if (day === undefined) wrong.push([name, m.writeDate(example.slice(0, 10))]);
        else request[name] = day;
      } else request[name] = value;
    }
    const reasonText = reason.input.value.trim();
    if (reasonAsked() || reasonText !== '') {
      if (reasonText === '' && reasonAsked()) wrong.push(['reason', m.required]);
      else if (reasonText.length < REMARK_MIN) wrong.push(['reason', m.tooShort]);
      else request['reason'] = reasonText;
    }
    const noteText = note.input.value.trim();
    if (noteText !== '') {
      if (noteText.length < REMARK_MIN) wrong.push(['note', m.tooShort]);
      else request['note'] = noteText;
    }
    return wrong.length > 0 ? { wrong } : { request };
  };

  const { ask, back } = confirmStep({ form, fieldset, buttons, panel: confirmation });

  const confirm = (request: Record<string, string>): void => {
    const dated = formatDateTime(request['at'] ?? now);
    const lines: Child[] = [];
    // A field's label without its parenthesis (the format, "optional"): the value is there already.
    const line = (label: string, value: string): void => {
      lines.push(h('li', {}, `${label.replace(/\s*\([^)]*\)$/, '')}: ${value}`));
    };
    if (request['start'] !== undefined) line(m.fieldLabels.start, formatDateTime(request['start']));
    if (request['dueDate'] !== undefined) line(m.fieldLabels.dueDate, formatLocalDate(request['dueDate']));
    if (request['org'] !== undefined) line(m.fieldLabels.org, `${unitName(context, movedUnit(obligation, authority))} → ${unitName(context, request['org'])}`);
    if (request['assignee'] !== undefined) line(m.assignee, request['assignee']);
    if (request['reason'] !== undefined) line(m.fieldLabels.reason, request['reason']);
    if (request['note'] !== undefined) line(m.noteLabel, request['note']);
    const questionId = `${id}-question`;
    const yes = h('button', { type: 'button', class: GRAVE.has(act) ? 'danger' : undefined, 'data-action': 'confirm' }, m.confirmYes);
    const no = h('button', { type: 'button', class: 'secondary', 'data-action': 'back' }, m.confirmBack);
    const question = h('p', { class: 'question', id: questionId, tabindex: -1 }, m.confirmQuestion(m.actObject[act] ?? eventName(act).toLowerCase(), caseRef, dated));
    const says = [lines.length === 0 ? null : h('ul', { class: 'confirm-details' }, lines), h('p', { class: 'effect' }, m.actEffect[act] ?? '')];
    ask(question, says, yes, no, 'continue', () => {
      context.api
        .post<{ obligation: Obligation; opened?: Obligation }>(`/obligations/${encodeURIComponent(obligation.id)}/events`, request)
        .then(async (answer) => {
          // The lists are read from an index that may lag this write: the page shows what it wrote.
          remember(answer.obligation, answer.opened);
          context.say(`${m.recorded} ${caseRef}: ${eventName(act)} (${dated})`);
          // Handed over out of the caller's reach, the obligation is no longer theirs to see: back to their work.
          if (act === 'transferred' && location.hash.startsWith('#/o/') && !(await stillSeen(context, obligation.id))) {
            location.hash = '#/';
            return;
          }
          await context.refresh();
          // The panel is gone with the redrawn view: the focus goes back to the top of the content.
          document.getElementById('main')?.focus();
        })
        .catch((failure: unknown) => {
          back();
          // Personal data is told in the page's language: what was found, and to leave it out.
          errors.failed(failure, m.notRecorded, (_, message, personalData) => `${m.notRecorded} ${personalData === undefined ? message : m.personalDataRefused[personalData]}`);
        });
    });
  };

  onValidSubmit(form, errors, draft, confirm);
  return container;
}
