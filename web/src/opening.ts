import { dayTyped, eventName, instantTyped } from './acts.ts';
import { systemNow } from './api.ts';
import { orgName, when } from './cards.ts';
import type { ViewContext } from './context.ts';
import { type Child, h, replace } from './dom.ts';
import { formatDateTime, formatLocalDate } from './format.ts';
import type { PersonalDataKind } from '../../shared/base/index.ts';
import { FormErrors, confirmStep, formField, onValidSubmit } from './forms.ts';
import { pick, t } from './i18n.ts';
import { roleName } from './roles.ts';
import type { Milestone, Texts } from './types.ts';

/**
 * Opening a case from the page. The API says which rules this caller may open, for which units,
 * naming which issuer, with which fields (GET /rules, `opening`): the form offers exactly that.
 * Before anything is saved, the API's preview (POST /plans/preview, the same checks as the
 * opening) shows the plan: the deadline with its weekday, the reminders, who is told when it is
 * missed, and the legal basis. The user confirms, then POST /obligations. A refusal is shown by
 * the field the API names, and nothing typed is lost.
 */

/** What the page reads of GET /rules for a rule the caller may open (functions/api/opening.ts, OpeningSchema). */
interface Opening {
  readonly orgs: readonly string[];
  readonly several: boolean;
  readonly issuers?: readonly string[];
  readonly startEvent: string;
  readonly startAhead: boolean;
  readonly count?: { readonly min: number; readonly max: number; readonly unit: string; readonly required: boolean; readonly default?: number; readonly setBy: Texts };
  readonly dueDate?: { readonly variants?: readonly string[] };
  readonly until?: { readonly variants?: readonly string[] };
  readonly measures: boolean;
}

interface Source {
  readonly act: string;
  readonly provision?: string;
  /** How an official cites it, in each language, where the catalog says. */
  readonly cite?: Texts;
}

interface OpenableRule {
  readonly id: string;
  readonly names: Texts;
  readonly variants: readonly { readonly id: string; readonly names: Texts }[];
  readonly defaultVariant?: string;
  readonly sources: readonly Source[];
  readonly opening: Opening;
}

/** One plan of POST /plans/preview. */
interface PreviewPlan {
  readonly rule: string;
  readonly ruleName: Texts;
  readonly org: string;
  readonly issuedBy?: string;
  readonly label?: string;
  readonly openedWith?: string;
  readonly dueAt: string;
  readonly plan: { readonly dueDate: string; readonly movedFrom?: string; readonly provisional?: true; readonly milestones: readonly Milestone[] };
  readonly sources: readonly Source[];
  readonly overdueGrounds?: { readonly names: Texts; readonly source: Source };
}

/** The rules this caller may open: asked once per sign-in. */
let openable: { token: string; rules: Promise<OpenableRule[]> } | undefined;

function openableRules(context: ViewContext): Promise<OpenableRule[]> {
  if (openable?.token !== context.session.token) {
    const rules = context.api
      .get<{ rules: (Omit<OpenableRule, 'opening'> & { opening?: Opening })[] }>('/rules')
      .then((answer) => answer.rules.filter((rule): rule is OpenableRule => rule.opening !== undefined))
      .catch((failure: unknown) => {
        openable = undefined;
        throw failure;
      });
    openable = { token: context.session.token, rules };
  }
  return openable.rules;
}

/** For a home page: the way to the form, when the caller may open anything. */
export async function openingLink(context: ViewContext): Promise<Child> {
  const rules = await openableRules(context).catch(() => []);
  if (rules.length === 0) return null;
  return h('p', { class: 'open-link' }, h('a', { class: 'button', href: '#/open', 'data-action': 'open-case' }, t().openCase));
}

export function sourceText(source: Source): string {
  return source.cite === undefined ? [source.act, source.provision].filter(Boolean).join(', ') : pick(source.cite);
}

const byName = (context: ViewContext) => (a: string, b: string) => orgName(context, a).localeCompare(orgName(context, b));

let count = 0;

interface Field {
  readonly name: string;
  readonly wrap: HTMLElement;
  /** What gets the focus and the aria-invalid. */
  readonly input: HTMLElement;
  readonly error: HTMLElement;
}

/** A fact of the form that is not chosen (the caller's own unit, their own commission). */
function fixed(name: string, label: string, value: string, shown: string): Field {
  const output = h('p', { class: 'fixed', 'data-value': value }, shown);
  const error = h('p', { class: 'field-error', hidden: true });
  return { name, wrap: h('div', { class: 'field', 'data-field': name }, h('p', { class: 'label' }, label), output, error), input: output, error };
}

const text = (value = '', max = 64, extra: Record<string, string> = {}): HTMLInputElement => h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: max, value, ...extra });

/** The page `#/open`: choose what to open, fill it in, see the plan, confirm. */
export async function openingView(context: ViewContext): Promise<Child[]> {
  const m = t();
  const rules = await openableRules(context);
  const header: Child[] = [h('p', {}, h('a', { href: '#/' }, `← ${m.back}`)), h('h1', {}, m.openTitle)];
  if (rules.length === 0) return [...header, h('p', { class: 'note' }, m.openNothing)];
  const now = await systemNow(context.config);
  const holder = h('div', { class: 'opening' });
  const first = rules[0] as OpenableRule;
  replace(holder, openingForm(context, rules, first, now, {}));
  return [...header, h('p', { class: 'note' }, m.openIntro), holder];
}

/** What the user typed, kept when another rule is chosen or the plan is changed. */
interface Typed {
  caseRef?: string;
  start?: string;
  addressees?: readonly string[];
}

function openingForm(context: ViewContext, rules: readonly OpenableRule[], rule: OpenableRule, now: number, typed: Typed): HTMLElement {
  const m = t();
  const id = `open-${++count}`;
  const { opening } = rule;
  const fields: Field[] = [];
  const add = (one: Field): Field => {
    fields.push(one);
    return one;
  };

  const ruleSelect = h('select', {}, rules.map((one) => h('option', { value: one.id, selected: one.id === rule.id }, pick(one.names))));
  add(formField(id, 'rule', m.openRule, ruleSelect));

  const variantSelect =
    rule.variants.length === 0 ? undefined : h('select', {}, rule.variants.map((variant) => h('option', { value: variant.id, selected: variant.id === rule.defaultVariant }, pick(variant.names))));
  if (variantSelect !== undefined) add(formField(id, 'variant', m.openVariant, variantSelect));

  const caseRef = add(formField(id, 'caseRef', m.openCaseRef, text(typed.caseRef ?? '', 64, { class: 'case-ref' }), m.openCaseRefHint));

  // Whom it is opened for: several bodies chosen from the directory, one of several, or the caller's own.
  const orgs = [...opening.orgs].sort(byName(context));
  let chosen: () => string[];
  if (opening.several) {
    const filter = text('', 60, { class: 'filter', type: 'search', 'aria-label': m.openFilter, placeholder: m.openFilter });
    const boxes = orgs.map((org) => {
      const box = h('input', { type: 'checkbox', name: 'addressees', value: org, checked: typed.addressees?.includes(org) === true });
      return h('li', { 'data-org': org }, h('label', {}, box, ' ', orgName(context, org)));
    });
    const list = h('ul', { class: 'choices' }, boxes);
    filter.addEventListener('input', () => {
      const wanted = filter.value.trim().toLocaleLowerCase();
      for (const item of boxes) item.hidden = wanted !== '' && !(item.textContent ?? '').toLocaleLowerCase().includes(wanted);
    });
    const error = h('p', { class: 'field-error', id: `${id}-addressees-error`, hidden: true });
    const legendId = `${id}-addressees-legend`;
    const group = h(
      'fieldset',
      { class: 'field addressees', 'data-field': 'addressees', 'aria-describedby': `${id}-addressees-hint ${id}-addressees-error` },
      h('legend', { id: legendId }, m.openAddressees),
      h('p', { class: 'hint', id: `${id}-addressees-hint` }, m.openAddresseesHint),
      filter,
      list,
      error,
    );
    add({ name: 'addressees', wrap: group, input: filter, error });
    chosen = () => [...list.querySelectorAll<HTMLInputElement>('input[type="checkbox"]:checked')].map((box) => box.value);
  } else if (orgs.length === 1) {
    const org = orgs[0] as string;
    add(fixed('org', m.openUnit, org, orgName(context, org)));
    chosen = () => [org];
  } else {
    const select = h('select', {}, h('option', { value: '' }, m.chooseUnit), orgs.map((org) => h('option', { value: org }, orgName(context, org))));
    add(formField(id, 'org', m.openUnit, select));
    chosen = () => (select.value === '' ? [] : [select.value]);
  }

  let issuer: () => string | undefined = () => undefined;
  if (opening.issuers !== undefined) {
    const issuers = [...opening.issuers].sort(byName(context));
    if (issuers.length === 1) {
      const only = issuers[0] as string;
      add(fixed('issuedBy', m.openIssuedBy, only, orgName(context, only)));
      issuer = () => only;
    } else {
      const select = h('select', {}, h('option', { value: '' }, m.chooseUnit), issuers.map((org) => h('option', { value: org, selected: org === context.session.org }, orgName(context, org))));
      add(formField(id, 'issuedBy', m.openIssuedBy, select));
      issuer = () => (select.value === '' ? undefined : select.value);
    }
  }

  const start = add(formField(id, 'start', m.openStart(eventName(opening.startEvent)), text(typed.start ?? formatDateTime(now), 20, { class: 'when', placeholder: m.dateTimePlaceholder })));

  const bounds = opening.count;
  const countField =
    bounds === undefined
      ? undefined
      : add(
          formField(
            id,
            'count',
            m.openCount(pick(bounds.setBy)),
            h('input', { type: 'number', class: 'count', min: bounds.min, max: bounds.max, step: 1, inputmode: 'numeric' }),
            [m.openCountRange(m.countUnits[bounds.unit] ?? bounds.unit, bounds.min, bounds.max), bounds.default === undefined ? '' : m.openCountDefault(bounds.default)].filter(Boolean).join(' '),
          ),
        );
  const dueDate = opening.dueDate === undefined ? undefined : add(formField(id, 'dueDate', m.openDueDate, text('', 20, { class: 'when', placeholder: m.datePlaceholder })));
  const until = opening.until === undefined ? undefined : add(formField(id, 'until', m.openUntil, text('', 20, { class: 'when', placeholder: m.datePlaceholder })));
  // A field some variants need only: shown for those.
  const forVariant = (): void => {
    const variant = variantSelect?.value;
    if (dueDate !== undefined) dueDate.wrap.hidden = !applies(opening.dueDate, variant);
    if (until !== undefined) until.wrap.hidden = !applies(opening.until, variant);
  };
  variantSelect?.addEventListener('change', forVariant);
  forVariant();

  // A submission's measures: rows of an item and its own deadline.
  let measures: () => { item: string; dueDate: string }[] | 'wrong' = () => [];
  if (opening.measures) {
    const rows = h('ol', { class: 'measures' });
    const addRow = (): void => {
      const item = text('', 16, { class: 'item', 'aria-label': m.openMeasureItem, placeholder: m.openMeasureItem });
      const due = text('', 20, { class: 'when', 'aria-label': m.openMeasureDue, placeholder: m.datePlaceholder });
      const row = h('li', { class: 'measure' }, item, due, h('button', { type: 'button', class: 'secondary', onclick: () => row.remove() }, m.openRemoveMeasure));
      rows.append(row);
      item.focus();
    };
    const error = h('p', { class: 'field-error', hidden: true });
    const addButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'add-measure', onclick: addRow }, m.openAddMeasure);
    add({ name: 'measures', wrap: h('fieldset', { class: 'field measures-field', 'data-field': 'measures' }, h('legend', {}, m.openMeasures), rows, addButton, error), input: addButton, error });
    measures = () => {
      const taken: { item: string; dueDate: string }[] = [];
      for (const row of rows.querySelectorAll('li')) {
        const [item, due] = [...row.querySelectorAll('input')].map((input) => input.value.trim());
        if ((item ?? '') === '' && (due ?? '') === '') continue;
        const day = dayTyped(due ?? '');
        if ((item ?? '') === '' || day === undefined) return 'wrong';
        taken.push({ item: item ?? '', dueDate: day });
      }
      return taken;
    };
  }

  const assignee = opening.several ? undefined : add(formField(id, 'assignee', m.openAssignee, text('', 63)));

  const general = h('p', { class: 'field-error', 'data-field': 'general', hidden: true, role: 'alert' });
  const buttons = h('div', { class: 'buttons' }, h('button', { type: 'submit', 'data-action': 'preview' }, m.openPreview));
  const fieldset = h('fieldset', { class: 'open-fields' }, fields.map((one) => one.wrap));
  const form = h('form', { class: 'open-form', novalidate: true, 'data-rule': rule.id, 'aria-label': m.openTitle }, fieldset, general, buttons);
  const preview = h('div', { class: 'open-preview', hidden: true });
  const container = h('div', { class: 'open-step' }, form, preview);

  ruleSelect.addEventListener('change', () => {
    const next = rules.find((one) => one.id === ruleSelect.value);
    if (next === undefined) return;
    const keep: Typed = { caseRef: caseRef.input instanceof HTMLInputElement ? caseRef.input.value : '', start: (start.input as HTMLInputElement).value, addressees: opening.several ? chosen() : [] };
    const replaced = openingForm(context, rules, next, now, keep);
    container.replaceWith(replaced);
    replaced.querySelector<HTMLElement>('select[name="rule"]')?.focus();
  });

  const errors = new FormErrors<Field>({
    fields,
    // One unit or several: the API names `org` or `addressees`, the form has whichever the rule takes.
    find: (name) => fields.find((candidate) => candidate.name === name) ?? (name === 'org' || name === 'addressees' ? fields.find((candidate) => candidate.name === 'org' || candidate.name === 'addressees') : undefined),
    general,
    fallback: () => form.querySelector<HTMLElement>('button[data-action="preview"]'),
  });
  // Personal data, and any refusal of the reference, is told in the page's language; elsewhere the API's own words follow.
  const said = (name: string, message: string, personalData?: PersonalDataKind): string => {
    if (personalData !== undefined) return `${m.notOpened} ${m.personalDataRefused[personalData]}`;
    return name === 'caseRef' ? `${m.caseRefRefused} (${message})` : `${m.notOpened} ${message}`;
  };

  /** The request as the form stands, or what is wrong with it. */
  const draft = (): { request: Record<string, unknown> } | { wrong: [string, string][] } => {
    const wrong: [string, string][] = [];
    const request: Record<string, unknown> = { rule: rule.id };
    if (variantSelect !== undefined) request['variant'] = variantSelect.value;
    const reference = (caseRef.input as HTMLInputElement).value.trim();
    if (reference === '') wrong.push(['caseRef', m.required]);
    else request['caseRef'] = reference;
    const units = chosen();
    if (units.length === 0) wrong.push([opening.several ? 'addressees' : 'org', opening.several ? m.chooseAddressees : m.required]);
    else if (opening.several) request['addressees'] = units;
    else request['org'] = units[0];
    const issuedBy = issuer();
    if (opening.issuers !== undefined) {
      if (issuedBy === undefined) wrong.push(['issuedBy', m.required]);
      else request['issuedBy'] = issuedBy;
    }
    const example = formatDateTime(now);
    const startText = (start.input as HTMLInputElement).value;
    const instant = instantTyped(startText);
    if (startText.trim() === '') wrong.push(['start', m.required]);
    else if (instant === undefined) wrong.push(['start', m.writeDateTime(example)]);
    else request['start'] = instant;
    if (countField !== undefined && bounds !== undefined) {
      const value = (countField.input as HTMLInputElement).value.trim();
      if (value === '') {
        if (bounds.required) wrong.push(['count', m.required]);
      } else request['count'] = Number(value);
    }
    for (const [name, one, required] of [
      ['dueDate', dueDate, true],
      ['until', until, false],
    ] as const) {
      if (one === undefined || one.wrap.hidden) continue;
      const value = (one.input as HTMLInputElement).value.trim();
      if (value === '') {
        if (required) wrong.push([name, m.required]);
        continue;
      }
      const day = dayTyped(value);
      if (day === undefined) wrong.push([name, m.writeDate(example.slice(0, 10))]);
      else request[name] = day;
    }
    const listed = measures();
    if (listed === 'wrong') wrong.push(['measures', m.writeDate(example.slice(0, 10))]);
    else if (listed.length > 0) request['measures'] = listed;
    if (assignee !== undefined) {
      const value = (assignee.input as HTMLInputElement).value.trim();
      if (value !== '') request['assignee'] = value;
    }
    return wrong.length > 0 ? { wrong } : { request };
  };

  const { ask, back } = confirmStep({ form, fieldset, buttons, panel: preview });

  const confirmPlans = (request: Record<string, unknown>, plans: readonly PreviewPlan[]): void => {
    const opens = plans.length;
    const yes = h('button', { type: 'button', 'data-action': 'confirm' }, m.openConfirm(opens));
    const no = h('button', { type: 'button', class: 'secondary', 'data-action': 'change' }, m.openChange);
    const titleId = `${id}-plan`;
    const title = h('h2', { id: titleId, tabindex: -1 }, m.openPlanTitle);
    ask(title, [h('p', { class: 'note' }, m.openPlanIntro), planGroups(plans).map((group) => planCard(context, rule, group))], yes, no, 'preview', () => {
      context.api
        .post<{ obligations: { id: string; org: string; rule: string; caseRef: string; label?: string }[] }>('/obligations', request)
        .then(({ obligations }) => {
          const caseRefText = String(request['caseRef']);
          context.say(m.openedSay(caseRefText, obligations.length));
          replace(
            container,
            h(
              'section',
              { class: 'opened', 'aria-labelledby': `${id}-opened`, 'data-section': 'opened' },
              h('h2', { id: `${id}-opened`, tabindex: -1 }, `${m.openedTitle}: ${caseRefText}`),
              h(
                'ul',
                {},
                obligations.map((obligation) =>
                  h(
                    'li',
                    { 'data-opened': obligation.id, 'data-org': obligation.org },
                    h('a', { href: `#/o/${encodeURIComponent(obligation.id)}` }, `${pick(rules.find((one) => one.id === obligation.rule)?.names, obligation.rule)}${obligation.label === undefined ? '' : ` · ${obligation.label}`} — ${orgName(context, obligation.org)}`),
                  ),
                ),
              ),
              h('div', { class: 'buttons' }, h('a', { class: 'button', href: '#/' }, m.back), h('button', { type: 'button', class: 'secondary', 'data-action': 'open-another', onclick: () => container.replaceWith(openingForm(context, rules, rule, now, {})) }, m.openAnother)),
            ),
          );
          container.querySelector<HTMLElement>('h2')?.focus();
        })
        .catch((failure: unknown) => {
          back();
          errors.failed(failure, m.notOpened, said);
        });
    });
  };

  onValidSubmit(form, errors, draft, (request) => {
    const submit = form.querySelector<HTMLButtonElement>('button[data-action="preview"]');
    if (submit !== null) submit.disabled = true;
    context.api
      .post<{ plans: PreviewPlan[] }>('/plans/preview', request)
      .then(({ plans }) => confirmPlans(request, plans))
      .catch((failure: unknown) => {
        errors.failed(failure, m.notOpened, said);
      })
      .finally(() => {
        if (submit !== null) submit.disabled = false;
      });
  });
  return container;
}

function applies(need: { readonly variants?: readonly string[] } | undefined, variant: string | undefined): boolean {
  if (need === undefined) return false;
  return need.variants === undefined || (variant !== undefined && need.variants.includes(variant));
}

/** Plans alike but for the body (a decision sent to several): one card naming them all. */
function planGroups(plans: readonly PreviewPlan[]): PreviewPlan[][] {
  const groups = new Map<string, PreviewPlan[]>();
  for (const plan of plans) {
    const key = JSON.stringify([plan.rule, plan.label, plan.dueAt, plan.plan.milestones.map((milestone) => [milestone.kind, milestone.at, milestone.notify])]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [plan]);
    else group.push(plan);
  }
  return [...groups.values()];
}

function planCard(context: ViewContext, rule: OpenableRule, group: readonly PreviewPlan[]): HTMLElement {
  const m = t();
  const plan = group[0] as PreviewPlan;
  const { milestones } = plan.plan;
  const expiry = milestones.some((milestone) => milestone.kind === 'expiry');
  const told = (milestone: Milestone): Child => h('li', { 'data-kind': milestone.kind }, when(milestone.at, milestone.kind === 'due' || milestone.kind === 'expiry'), milestone.notify.length === 0 ? null : ` — ${milestone.notify.map(roleName).join(', ')}`);
  const reminders = milestones.filter((milestone) => milestone.kind === 'reminder');
  // Those told at the deadline itself (a commission's secretary, an order's inspector) are told with the escalation.
  const escalations = milestones.filter((milestone) => milestone.kind === 'escalation' || ((milestone.kind === 'due' || milestone.kind === 'expiry') && milestone.notify.length > 0));
  const units = group.map((one) => one.org);
  const several = rule.opening.several;
  const facts: [string, Child][] = [
    [several ? m.openAddressees : m.openUnit, h('span', { class: 'units' }, units.map((org) => orgName(context, org)).join('; '))],
    ...(plan.issuedBy === undefined ? [] : [[m.openIssuedBy, orgName(context, plan.issuedBy)] as [string, Child]]),
    [
      expiry ? m.openExpiry : m.openDeadline,
      h('span', { class: 'deadline', 'data-due': plan.dueAt }, when(plan.dueAt, true), plan.plan.movedFrom === undefined ? null : ` (${m.movedFrom} ${formatLocalDate(plan.plan.movedFrom)})`, plan.plan.provisional === true ? [' ', h('span', { class: 'badge provisional' }, m.provisional)] : null),
    ],
    [m.openReminders, reminders.length === 0 ? m.openNoReminders : h('ul', { class: 'told', 'data-list': 'reminders' }, reminders.map(told))],
    [expiry ? m.openOnExpiry : m.openEscalation, escalations.length === 0 ? m.openNoEscalation : h('ul', { class: 'told', 'data-list': 'escalation' }, escalations.map(told))],
    ...(plan.overdueGrounds === undefined ? [] : [[m.grounds, h('span', { class: 'grounds' }, pick(plan.overdueGrounds.names))] as [string, Child]]),
    [m.openSource, h('ul', { class: 'sources', 'data-list': 'sources' }, plan.sources.map((source) => h('li', {}, sourceText(source))))],
  ];
  return h(
    'section',
    { class: 'plan-card', 'data-rule': plan.rule, 'data-orgs': units.join(' ') },
    h('h3', {}, `${pick(plan.ruleName)}${plan.label === undefined ? '' : ` · ${plan.label}`}`, plan.openedWith === undefined ? null : h('span', { class: 'with' }, ` — ${m.openWith}`)),
    h('dl', { class: 'facts' }, facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
  );
}
