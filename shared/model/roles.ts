import { z } from 'zod';
import type { Texts } from '../i18n/texts.ts';

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
    kk: 'Шешімді, ұсынысты немесе жоспар тармағын алған орган',
    ru: 'Орган, получивший постановление, представление или пункт плана',
    en: 'Body that received the decision, submission or plan item',
  },
  'addressee-head': { kk: 'Сол органның басшысы', ru: 'Руководитель этого органа', en: 'Head of that body' },
  'shelter-head': {
    kk: 'Уақытша болу ұйымының (дағдарыс орталығының) басшысы',
    ru: 'Руководитель организации временного пребывания (кризисного центра)',
    en: 'Head of the crisis centre',
  },
} as const satisfies Record<string, Texts>;

export type Role = keyof typeof ROLES;
export const RoleSchema = z.enum(Object.keys(ROLES) as [Role, ...Role[]]);
