import * as z from 'zod';
import type { Texts } from './texts.ts';

/** Who is told: the official who must act, and the heads a missed deadline goes up to. */
export const ROLES = {
  'akimat-department': {
    kk: 'Аудан (қала) әкімдігінің жұмыспен қамту және әлеуметтік бағдарламалар бөлімі',
    ru: 'Отдел занятости и социальных программ акимата района (города)',
    en: 'Akimat department of employment and social programmes',
  },
  'akimat-department-head': { kk: 'Бөлім басшысы', ru: 'Руководитель отдела', en: 'Head of the department' },
  'deputy-akim': { kk: 'Әкімнің орынбасары', ru: 'Заместитель акима', en: 'Deputy akim' },
  inspector: {
    kk: 'Учаскелік полиция инспекторы немесе отбасылық-тұрмыстық зорлық-зомбылыққа қарсы бөліністің инспекторы',
    ru: 'Участковый инспектор полиции или инспектор подразделения по противодействию бытовому насилию',
    en: 'District police inspector or inspector of the unit against domestic violence',
  },
  'unit-head': { kk: 'Полиция бөлінісінің бастығы', ru: 'Начальник подразделения полиции', en: 'Head of the police unit' },
  'regional-head': {
    kk: 'Облыстық полиция департаментінің басшысы',
    ru: 'Руководитель департамента полиции области',
    en: 'Head of the regional police department',
  },
  'committee-head': {
    kk: 'ІІМ Әкімшілік полиция комитетінің басшысы',
    ru: 'Руководитель Комитета административной полиции МВД',
    en: 'Head of the Administrative Police Committee',
  },
  'commission-secretary': {
    kk: 'Кәмелетке толмағандардың істері және олардың құқықтарын қорғау жөніндегі комиссияның хатшысы',
    ru: 'Секретарь комиссии по делам несовершеннолетних и защите их прав',
    en: "Secretary of the Commission on Minors' Affairs",
  },
  'commission-chair': {
    kk: 'Комиссия төрағасы',
    ru: 'Председатель комиссии',
    en: 'Chair of the commission',
  },
  addressee: {
    kk: 'Қаулыны, ұсынысты немесе жоспар тармағын алған орган (ұйым)',
    ru: 'Орган (организация), получивший постановление, представление или пункт плана',
    en: 'Body that received the decision, submission or plan item',
  },
  'addressee-head': {
    kk: 'Қаулыны, ұсынысты немесе жоспар тармағын алған орган (ұйым) басшысы',
    ru: 'Руководитель органа (организации), получившего постановление, представление или пункт плана',
    en: 'Head of that body',
  },
  'shelter-head': {
    kk: 'Уақытша болу ұйымының (дағдарыс орталығының) басшысы',
    ru: 'Руководитель организации временного пребывания (кризисного центра)',
    en: 'Head of the crisis centre',
  },
} as const satisfies Record<string, Texts>;

export type Role = keyof typeof ROLES;
export const RoleSchema = z.enum(Object.keys(ROLES) as [Role, ...Role[]]);

/**
 * What a role is to an obligation: the body that must act, a head above it (reach over a
 * subtree, escalations), or the body that issued the obligation and waits for the act.
 */
export const ROLE_KINDS = ['acting', 'head', 'issuer'] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];

export const KINDS_OF_ROLE: Readonly<Record<Role, readonly RoleKind[]>> = {
  'akimat-department': ['acting'],
  'akimat-department-head': ['head'],
  'deputy-akim': ['head'],
  inspector: ['acting'],
  'unit-head': ['head'],
  'regional-head': ['head'],
  'committee-head': ['head'],
  'commission-secretary': ['issuer'],
  // The chair presides over the commission (issuer) and heads its staff (reach below it).
  'commission-chair': ['issuer', 'head'],
  addressee: ['acting'],
  'addressee-head': ['head'],
  'shelter-head': ['head'],
};

export function rolesOfKind(kind: RoleKind): Role[] {
  return (Object.keys(KINDS_OF_ROLE) as Role[]).filter((role) => KINDS_OF_ROLE[role].includes(kind));
}

/** The administrator: not a role of the law, the one who keeps the directory and the calendar. */
export const ADMINISTRATOR = 'admin';

/**
 * Who may open a clock or record an act on it, as the catalog names them (shared/rules/catalog.ts,
 * `authority`). A caller is a party to an obligation by where it sits and what it holds:
 * - `acting-body`: a member of the unit that must act (the obligation's `org`);
 * - `issuer`: the secretary, chair or head of the body that issued it and waits for the act (`issuedBy`);
 * - `head`: a head whose unit is the acting unit or above it;
 * - `admin`: the administrator;
 * - `system`: Merzim itself (a quarterly report opened each quarter).
 */
export const PARTIES = ['acting-body', 'issuer', 'head', 'admin', 'system'] as const;
export const PartySchema = z.enum(PARTIES);
export type Party = z.infer<typeof PartySchema>;

export const PARTY_NAMES: Readonly<Record<Party, Texts>> = {
  'acting-body': { kk: 'Орындаушы орган', ru: 'Орган-исполнитель', en: 'The acting body' },
  issuer: { kk: 'Мерзімді белгілеген орган (комиссия)', ru: 'Орган, установивший срок (комиссия)', en: 'The issuer (commission)' },
  head: { kk: 'Орындаушы органның басшысы', ru: 'Руководитель органа-исполнителя', en: "The acting body's head" },
  admin: { kk: 'Әкімші', ru: 'Администратор', en: 'The administrator' },
  system: { kk: 'Merzim өзі', ru: 'Сам Merzim', en: 'Merzim itself' },
};
