import type { DashboardConfig, LocalUser } from '../config.ts';
import { Api, ApiError, systemNow } from './api.ts';
import { commissionView } from './commission.ts';
import type { ViewContext } from './context.ts';
import { type Child, h, replace } from './dom.ts';
import { gapsSection } from './gaps.ts';
import { headsView } from './heads.ts';
import { LANGUAGES, type Language, lang, messagesOf, pick, setLang, t } from './i18n.ts';
import { obligationView } from './obligation.ts';
import { openingLink, openingView } from './opening.ts';
import { holdsKind, roleName } from './roles.ts';
import { type Session, type SignInProvider, currentSession, forget, signInProvider } from './session.ts';
import type { Organisation } from './types.ts';
import { caseView } from './case.ts';
import { workList } from './work.ts';
import { quarterlyReportView } from './reports.ts';

/**
 * The dashboard: one page, routed by the fragment (`#/` the signed-in user's work, `#/o/<id>` an
 * obligation's plan and history, `#/case/<caseRef>` every obligation of a case, `#/open` opening
 * a case, `#/reports/quarterly?org=…&quarter=…` a unit's quarterly report), drawn anew on each change. The home page always holds all the open work of the caller's
 * unit (work.ts); besides, by the groups of the token and their kinds (shared/base/roles.ts): the
 * issuer's awaited replies, the heads' overdue counts.
 */

const main = document.getElementById('main') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
const languages = document.getElementById('languages') as HTMLElement;

let config: DashboardConfig;
let provider: SignInProvider;
let organisations: Map<string, Organisation> | undefined;
let drawing = 0;

function say(message: string, kind: 'info' | 'error' = 'info'): void {
  status.textContent = message;
  status.classList.toggle('error', kind === 'error');
}

function drawChrome(session: Session | undefined): void {
  const m = t();
  document.title = `${m.appName} — ${m.appTagline}`;
  (document.getElementById('tagline') as HTMLElement).textContent = m.appTagline;
  (document.getElementById('skip') as HTMLElement).textContent = m.skipToContent;
  languages.setAttribute('aria-label', m.language);
  replace(
    languages,
    LANGUAGES.map((language: Language) =>
      h('button', { type: 'button', lang: language, 'aria-pressed': language === lang() ? 'true' : 'false', 'data-lang': language, onclick: () => switchLanguage(language) }, messagesOf(language).languageName),
    ),
  );
  if (session === undefined) {
    replace(who);
    return;
  }
  const unit = pick(organisations?.get(session.org)?.names, session.org);
  replace(
    who,
    h('span', { class: 'identity', 'data-user': session.user }, `${m.signedInAs} ${session.user} · ${session.groups.map(roleName).join(', ')} · ${unit}`),
    h('button', { type: 'button', class: 'secondary', 'data-action': 'calendar', onclick: () => void downloadCalendar(session) }, m.calendarDownload),
    h('button', { type: 'button', class: 'secondary', 'data-action': 'sign-out', onclick: signOut }, m.signOut),
  );
}

function switchLanguage(language: Language): void {
  setLang(language);
  say('');
  void draw();
}

function signOut(): void {
  forget();
  say('');
  if (location.hash === '#/sign-in') void draw();
  else location.hash = '#/sign-in';
}

async function downloadCalendar(session: Session): Promise<void> {
  try {
    const blob = await new Api(config, session).blob(`/me/calendar.ics?lang=${lang()}`);
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: `merzim-${session.user}.ics`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    say(t().calendarDownloaded);
  } catch (error) {
    say(`${t().failed}: ${error instanceof Error ? error.message : String(error)}`, 'error');
  }
}

async function signInPage(): Promise<Child[]> {
  const m = t();
  if (provider.kind === 'cognito') {
    return [h('h1', {}, m.signInTitle), h('p', {}, m.signInCognitoHint), h('button', { type: 'button', 'data-action': 'sign-in', onclick: () => void provider.signIn() }, m.signIn)];
  }
  const users = await provider.users();
  return [
    h('h1', {}, m.signInTitle),
    h('p', { class: 'note' }, m.signInLocalHint),
    h(
      'ul',
      { class: 'users', 'aria-label': m.signInAs },
      users.map((user: LocalUser) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              'data-user': user.user,
              onclick: async () => {
                try {
                  await provider.signIn(user.user);
                  location.hash = '#/';
                } catch (error) {
                  say(`${m.failed}: ${error instanceof Error ? error.message : String(error)}`, 'error');
                }
              },
            },
            h('span', { class: 'user' }, `${m.signInAs} ${user.user}`),
            h('span', { class: 'detail' }, roleName(user.role)),
            h('span', { class: 'detail' }, pick(user.orgNames, user.org)),
          ),
        ),
      ),
    ),
  ];
}

async function home(context: ViewContext): Promise<Child[]> {
  const m = t();
  const groups = context.session.groups;
    const unit = pick(context.organisations.get(context.session.org)?.names, context.session.org);
    const parts: Child[] = [h('h1', {}, `${m.home}: ${unit}`), await openingLink(context)];
    // Whatever the role and whatever the rule: everything addressed to the caller's unit.
    parts.push(await workList(context, { by: 'org', key: context.session.org, title: m.workOf(unit), name: 'work' }));
    if (holdsKind(groups, 'issuer')) parts.push(...(await commissionView(context)));
    // Every head (of a police unit, a department, a crisis centre, a region; the chair) and the administrator.
    if (holdsKind(groups, 'head') || groups.includes('admin')) parts.push(...(await headsView(context)));
    // The administrator fills the directory: where a notice found nobody.
    if (groups.includes('admin')) parts.push(await gapsSection(context));
  return parts;
}

async function draw(): Promise<void> {
  const mine = ++drawing;
  const m = t();
  const session = currentSession();
  const route = location.hash.replace(/^#/, '') || '/';
  if (session === undefined) {
    drawChrome(undefined);
    const page = await signInPage().catch((error: unknown) => [h('p', { class: 'field-error' }, `${m.failed}: ${String(error)}`)]);
    if (mine === drawing) replace(main, page);
    return;
  }
  if (route === '/sign-in') {
    location.hash = '#/';
    return;
  }
  drawChrome(session);
  main.setAttribute('aria-busy', 'true');
  try {
    const api = new Api(config, session);
    organisations ??= new Map((await api.get<{ organisations: Organisation[] }>('/organisations')).organisations.map((o) => [o.org, o]));
    drawChrome(session);
    const context: ViewContext = { config, api, session, now: await systemNow(config), organisations, say, refresh: draw };
    const obligation = /^\/o\/(.+)$/.exec(route);
    const onCase = /^\/case\/(.+)$/.exec(route);
    const quarterly = /^\/reports\/quarterly\?(.*)$/.exec(route);
    const page =
      obligation !== null
        ? await obligationView(context, decodeURIComponent(obligation[1] ?? ''))
        : onCase !== null
          ? await caseView(context, decodeURIComponent(onCase[1] ?? ''))
          : quarterly !== null
            ? await quarterlyReportView(context, new URLSearchParams(quarterly[1] ?? ''))
            : route === '/open'
              ? await openingView(context)
              : await home(context);
    if (mine !== drawing) return;
    replace(main, page);
  } catch (error) {
    if (mine !== drawing) return;
    if (error instanceof ApiError && error.status === 401) {
      forget();
      say(m.sessionExpired, 'error');
      location.hash = '#/sign-in';
      return;
    }
    const message =
      error instanceof ApiError && (error.status === 403 || error.status === 404)
        ? `${m.notAllowed} (${error.message})`
        : error instanceof ApiError && error.status === 429
          ? m.tooManyRequests(error.retryAfterS ?? 1)
          : `${m.failed}: ${error instanceof Error ? error.message : String(error)}`;
    replace(main, h('p', { class: 'field-error' }, message));
  } finally {
    if (mine === drawing) main.removeAttribute('aria-busy');
  }
}

async function start(): Promise<void> {
  setLang(lang());
  config = (await (await fetch('config.json')).json()) as DashboardConfig;
  provider = signInProvider(config);
  const returned = await provider.returned();
  if (returned !== undefined && 'refused' in returned) {
    // The person reads that it failed; why (a technical matter, in English) goes to the console.
    console.warn(`merzim: sign-in refused: ${returned.refused}`);
    say(t().signInRefused, 'error');
  }
  window.addEventListener('hashchange', () => {
    void draw().then(() => main.focus());
  });
  await draw();
}

void start();
