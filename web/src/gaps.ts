import { orgName, when } from './cards.ts';
import type { ViewContext } from './context.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import { roleName } from './roles.ts';

/** A unit where a milestone found nobody holding the role it was to tell (GET /directory/gaps). */
interface DirectoryGap {
  readonly org: string;
  readonly role: string;
  readonly obligationId: string;
  readonly caseRef?: string;
  readonly milestone: string;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
}

/**
 * The administrator's list of directory gaps: each unit and role a reminder or an escalation found
 * nobody in, with the last case it was missed for, so that someone adds the official. A gap the
 * directory has filled since is not listed (the API checks).
 */
export async function gapsSection(context: ViewContext): Promise<HTMLElement> {
  const m = t();
  const { gaps } = await context.api.get<{ gaps: DirectoryGap[] }>('/directory/gaps');
  const heading = 'gaps-heading';
  return h(
    'section',
    { 'aria-labelledby': heading, 'data-section': 'directory-gaps' },
    h('h2', { id: heading }, `${m.gapsTitle} (${gaps.length})`),
    gaps.length === 0
      ? h('p', { class: 'note' }, m.gapsNone)
      : [
          h('p', { class: 'note' }, m.gapsNote),
          h(
            'div',
            { class: 'scroll' },
            h(
              'table',
              {},
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, m.unit), h('th', { scope: 'col' }, m.gapsMissing), h('th', { scope: 'col' }, m.gapsLast), h('th', { scope: 'col' }, m.gapsSince))),
              h(
                'tbody',
                {},
                gaps.map((gap) =>
                  h(
                    'tr',
                    { 'data-gap': gap.org, 'data-role': gap.role },
                    h('th', { scope: 'row' }, orgName(context, gap.org)),
                    h('td', {}, roleName(gap.role)),
                    h('td', {}, h('a', { href: `#/o/${encodeURIComponent(gap.obligationId)}` }, gap.caseRef ?? gap.obligationId)),
                    h('td', {}, when(gap.firstSeenAt)),
                  ),
                ),
              ),
            ),
          ),
        ],
  );
}
