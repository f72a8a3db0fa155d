import type { LocalDate, Texts } from '../base/index.ts';
import { type DigestInput, composeDigest } from './digest.ts';
import type { Notice } from './notices.ts';
import { MAIL_LABELS, dottedDate } from './labels.ts';

/**
 * One person's morning mail: the reminders and escalations that fell for him since his last
 * morning mail, each as its own notice would say it (its subject, then its text), then his digest. Without notices it is the
 * digest alone. References, units and deadlines only, like every notice (LEGAL.md §5).
 */
export interface MorningMailInput {
  readonly date: LocalDate;
  readonly notices: readonly Notice[];
  /** His digest, when there is anything in it. */
  readonly digest?: DigestInput;
}

const labels = {
  title: { kk: 'Merzim: бүгінгі хабарламалар', ru: 'Merzim: уведомления на сегодня', en: 'Merzim: today\'s notices' },
  notices: { kk: 'Хабарламалар', ru: 'Уведомления', en: 'Notices' },
  overdue: MAIL_LABELS.overdue,
} as const satisfies Record<string, Texts>;

export function composeMorningMail({ date, notices, digest }: MorningMailInput): Notice {
  const digestMail = digest === undefined || digest.items.length === 0 ? undefined : composeDigest(digest);
  if (notices.length === 0) {
    if (digestMail === undefined) throw new Error('a morning mail with nothing in it');
    return digestMail;
  }
  const overdue = digest?.items.filter((item) => item.overdue).length ?? 0;
  // Each notice under its own subject line, as it would have come alone.
  const parts = notices.map((notice, index) => [`—— ${index + 1} / ${notices.length} ——`, notice.subject, '', notice.text].join('\n'));
  return {
    subject:
      `${labels.title.kk} / ${labels.title.ru} · ${dottedDate(date)} · ${labels.notices.kk} / ${labels.notices.ru}: ${notices.length}` +
      (digestMail === undefined ? '' : ` · ${labels.overdue.kk} / ${labels.overdue.ru}: ${overdue}`),
    text: [...parts, ...(digestMail === undefined ? [] : ['——————', digestMail.text])].join('\n\n'),
  };
}
