import { ApiError } from './api.ts';
import type { ViewContext } from './context.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import type { Obligation } from './types.ts';

/**
 * The acts the dashboard records, by rule: a decision or a refusal (with its reason), a check,
 * a reply, a report. Extensions, corrected starts and cancellations stay with the API and the CLI.
 */
type DashboardAct = 'decided' | 'refused' | 'checked' | 'replied' | 'reported';

const ACTS_BY_RULE: Readonly<Record<string, readonly DashboardAct[]>> = {
  'sss-decision': ['decided', 'refused'],
  'offender-check': ['checked'],
  'kdn-placement-reply': ['replied'],
  'submission-reply': ['replied'],
  'submission-measure': ['reported'],
  'action-plan-item': ['reported'],
  'unit-quarterly-report': ['reported'],
};

function label(act: DashboardAct): string {
  const m = t();
  return { decided: m.recordDecision, refused: m.recordRefusal, checked: m.recordCheck, replied: m.recordReply, reported: m.recordReport }[act];
}

let formCount = 0;

/** The form that records the closing act of an obligation, or nothing when it is closed or has none here. */
export function actForm(obligation: Obligation, context: ViewContext, describedBy?: string): HTMLFormElement | undefined {
  if (obligation.status !== 'open' && obligation.status !== 'overdue') return undefined;
  const acts = ACTS_BY_RULE[obligation.rule] ?? [];
  if (acts.length === 0) return undefined;
  const m = t();
  const id = `act-${++formCount}`;
  const needsReason = acts.includes('refused');
  const reason = needsReason ? h('input', { type: 'text', id: `${id}-reason`, name: 'reason', autocomplete: 'off', maxlength: 500, 'aria-describedby': `${id}-error` }) : undefined;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const form = h(
    'form',
    { 'data-obligation': obligation.id, 'aria-label': `${m.actions}: ${obligation.caseRef}` },
    reason === undefined ? null : h('div', {}, h('label', { for: reason.id }, m.refusalReason), reason),
    acts.map((act) =>
      h('button', { type: 'submit', name: 'act', value: act, class: act === 'refused' ? 'danger' : undefined, 'aria-describedby': describedBy }, label(act)),
    ),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    const act = (submitter?.value ?? acts[0]) as DashboardAct;
    const text = reason?.value.trim() ?? '';
    if (act === 'refused' && text.length < 3) {
      reason?.setAttribute('aria-invalid', 'true');
      error.textContent = m.reasonRequired;
      error.hidden = false;
      reason?.focus();
      return;
    }
    reason?.removeAttribute('aria-invalid');
    error.hidden = true;
    for (const button of form.querySelectorAll('button')) button.disabled = true;
    context.api
      .post(`/obligations/${encodeURIComponent(obligation.id)}/events`, { act, ...(act === 'refused' ? { reason: text } : {}) })
      .then(async () => {
        context.say(`${m.recorded} ${obligation.caseRef}: ${m.events[act]}`);
        await context.refresh();
        // The form is gone with the redrawn list: the focus goes back to the top of the content.
        document.getElementById('main')?.focus();
      })
      .catch((failure: unknown) => {
        for (const button of form.querySelectorAll('button')) button.disabled = false;
        error.textContent = failure instanceof ApiError ? failure.message : String(failure);
        error.hidden = false;
      });
  });
  return form;
}
