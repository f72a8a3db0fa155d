import type { PersonalDataKind } from '../../shared/base/index.ts';
import { type ApiIssue, ApiError } from './api.ts';
import { type Child, h, replace } from './dom.ts';

/** A labelled input with its hint and its error line, described by both for a screen reader. */
export interface FormField<Name extends string> {
  readonly name: Name;
  readonly wrap: HTMLElement;
  readonly input: HTMLInputElement | HTMLSelectElement;
  readonly hint: HTMLElement;
  readonly error: HTMLElement;
}

export function formField<Name extends string>(id: string, name: Name, label: string, input: HTMLInputElement | HTMLSelectElement, hint?: string): FormField<Name> {
  const inputId = `${id}-${name}`;
  input.id = inputId;
  input.name = name;
  const hintElement = h('p', { class: 'hint', id: `${inputId}-hint`, hidden: hint === undefined }, hint ?? '');
  const error = h('p', { class: 'field-error', id: `${inputId}-error`, hidden: true });
  input.setAttribute('aria-describedby', `${inputId}-hint ${inputId}-error`);
  const wrap = h('div', { class: 'field', 'data-field': name }, h('label', { for: inputId }, label), input, hintElement, error);
  return { name, wrap, input, hint: hintElement, error };
}

/** A field as its errors need it: where it is, where its message goes, what gets the focus. */
export interface ErrorSlot {
  readonly wrap: HTMLElement;
  readonly error: HTMLElement;
  readonly input: HTMLElement;
}

export interface FormErrorsOptions<Slot extends ErrorSlot> {
  readonly fields: readonly Slot[];
  /** The field a name (the form's own, or the first segment of an API issue's path) stands for. */
  readonly find: (name: string) => Slot | undefined;
  /** One line for what no field names. */
  readonly general: HTMLElement;
  /** What gets the focus when only the general line speaks. */
  readonly fallback: () => HTMLElement | null;
}

/**
 * How the dashboard's forms (recording an act, opening a case) tell what is wrong: each field
 * its own message, the first one focused; a refusal of the API by the fields it names, or as
 * one general line. Nothing typed is cleared.
 */
export class FormErrors<Slot extends ErrorSlot> {
  constructor(private readonly options: FormErrorsOptions<Slot>) {}

  clear(): void {
    for (const one of this.options.fields) {
      one.error.hidden = true;
      one.error.textContent = '';
      one.input.removeAttribute('aria-invalid');
    }
    this.options.general.hidden = true;
    this.options.general.textContent = '';
  }

  /** The message under its field; undefined when the form has no such field. */
  field(name: string, message: string): Slot | undefined {
    const one = this.options.find(name);
    if (one === undefined) return undefined;
    one.wrap.hidden = false;
    one.error.textContent = message;
    one.error.hidden = false;
    one.input.setAttribute('aria-invalid', 'true');
    return one;
  }

  /** Every wrong field is told; the first one gets the focus. */
  wrong(wrong: readonly (readonly [string, string])[]): void {
    let first: HTMLElement | undefined;
    for (const [name, message] of wrong) {
      // Told whether or not it is the first: `??=` would not call it once `first` is set.
      const shown = this.field(name, message)?.input;
      first ??= shown;
    }
    first?.focus();
  }

  /**
   * A failed request: an API refusal by the fields its issues name (each worded by `say`, which
   * gets the kind of personal data where that was why), what no field names on the general line
   * after `prefix`; the focus on the first told.
   */
  failed(failure: unknown, prefix: string, say: (name: string, message: string, personalData?: PersonalDataKind) => string): void {
    const issues: readonly ApiIssue[] = failure instanceof ApiError ? failure.issues : [];
    const message = failure instanceof Error ? failure.message : String(failure);
    let first: HTMLElement | undefined;
    for (const issue of issues) {
      const name = issue.path.split('.')[0] ?? '';
      const shown = this.field(name, say(name, issue.message, issue.personalData))?.input;
      first ??= shown;
    }
    if (first === undefined) {
      this.options.general.textContent = `${prefix} ${message}`;
      this.options.general.hidden = false;
      first = this.options.fallback() ?? undefined;
    }
    first?.focus();
  }
}

/** The parts of a form that ask to confirm before it writes (recording an act, opening a case). */
export interface ConfirmParts {
  readonly form: HTMLFormElement;
  /** Read-only while the panel asks: what is confirmed is what was filled. */
  readonly fieldset: HTMLFieldSetElement;
  /** The form's own buttons, hidden while the panel asks. */
  readonly buttons: HTMLElement;
  /** Where the question shows, after the form. */
  readonly panel: HTMLElement;
}

/**
 * The confirmation step of a form: `ask` shows `heading` (focused, and naming the panel for a
 * screen reader), what it says, and the panel's yes and no; no goes back to the form, focused on
 * its button `returnTo`; yes disables both and runs `confirmed`. `back` shows the form again,
 * nothing typed lost.
 */
export function confirmStep({ form, fieldset, buttons, panel }: ConfirmParts): {
  ask(heading: HTMLElement, says: readonly Child[], yes: HTMLButtonElement, no: HTMLButtonElement, returnTo: string, confirmed: () => void): void;
  back(): void;
} {
  const back = (): void => {
    panel.hidden = true;
    replace(panel);
    fieldset.disabled = false;
    buttons.hidden = false;
  };
  const ask = (heading: HTMLElement, says: readonly Child[], yes: HTMLButtonElement, no: HTMLButtonElement, returnTo: string, confirmed: () => void): void => {
    replace(panel, heading, ...says, h('div', { class: 'buttons' }, yes, no));
    panel.setAttribute('role', 'group');
    panel.setAttribute('aria-labelledby', heading.id);
    fieldset.disabled = true;
    buttons.hidden = true;
    panel.hidden = false;
    heading.focus();
    no.addEventListener('click', () => {
      back();
      (form.querySelector<HTMLElement>(`button[data-action="${returnTo}"]`) ?? form).focus();
    });
    yes.addEventListener('click', () => {
      yes.disabled = true;
      no.disabled = true;
      confirmed();
    });
  };
  return { ask, back };
}

/**
 * On submit (the page does not reload): the form's errors cleared, its draft read, and either
 * what is wrong told or the request handed on.
 */
export function onValidSubmit<Request>(
  form: HTMLFormElement,
  errors: FormErrors<ErrorSlot>,
  draft: () => { readonly request: Request } | { readonly wrong: readonly (readonly [string, string])[] },
  next: (request: Request) => void,
): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    errors.clear();
    const result = draft();
    if ('wrong' in result) {
      errors.wrong(result.wrong);
      return;
    }
    next(result.request);
  });
}
