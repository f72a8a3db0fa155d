import type { LegalSource } from '../base/index.ts';
import type { CalendarData, Holiday, ReligiousDayOff } from './facts.ts';

/**
 * Kazakhstan's five-day-week calendar, 2024–2027, as facts with their sources, and how it is
 * projected from the law for the ten years after. See ../shared/domain/LEGAL.md §2. Facts marked
 * secondary or inferred (⚠) are corrected by administrator overrides, not by a release.
 */

const holidaysLaw: LegalSource = {
  act: 'Law of the RK No. 267-II of 13.12.2001 "On holidays in the Republic of Kazakhstan"',
  provision: 'art. 1',
  confidence: 'official',
  cite: {
    kk: 'ҚР 2001 жылғы 13 желтоқсандағы № 267-II «Қазақстан Республикасындағы мерекелер туралы» Заңы, 1-бап',
    ru: 'Закон РК от 13.12.2001 № 267-II «О праздниках в Республике Казахстан», ст. 1',
    en: 'Law of the RK No. 267-II of 13.12.2001 "On holidays in the Republic of Kazakhstan", art. 1',
  },
};

const labourCode: LegalSource = {
  act: 'Labour Code of the RK No. 414-V of 23.11.2015',
  provision: 'art. 85: a day off that coincides with a holiday moves to the next working day; religious days off are not moved',
  confidence: 'secondary',
  cite: { kk: 'ҚР Еңбек кодексі, 85-бап', ru: 'Трудовой кодекс РК, ст. 85', en: 'Labour Code of the RK, art. 85' },
};

/** ⚠ The article is not named in LEGAL.md: the five-day week of state bodies is cited without it. */
const fiveDayWeek: LegalSource = {
  act: 'Labour Code of the RK No. 414-V of 23.11.2015',
  provision: 'the five-day working week: Saturday and Sunday are days of rest',
  confidence: 'secondary',
  cite: {
    kk: 'ҚР Еңбек кодексі: бес күндік жұмыс аптасы (сенбі мен жексенбі — демалыс күндері)',
    ru: 'Трудовой кодекс РК: пятидневная рабочая неделя (суббота и воскресенье — выходные дни)',
    en: 'Labour Code of the RK: the five-day working week (Saturday and Sunday are days of rest)',
  },
};

const holiday = (
  id: string,
  day: string,
  names: Holiday['names'],
  validity: Pick<Holiday, 'validFrom' | 'validTo'> = { validFrom: '2002-01-01', validTo: null },
  source: LegalSource = holidaysLaw,
): Holiday => ({ kind: 'holiday', id, day, names, source, ...validity });

const newYear = { kk: 'Жаңа жыл', ru: 'Новый год', en: 'New Year' };
const nauryz = { kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы', en: 'Nauryz' };
const constitutionDay = { kk: 'Конституция күні', ru: 'День Конституции', en: 'Constitution Day' };

const holidays: readonly Holiday[] = [
  holiday('new-year-1', '01-01', newYear),
  holiday('new-year-2', '01-02', newYear),
  holiday('womens-day', '03-08', { kk: 'Халықаралық әйелдер күні', ru: 'Международный женский день', en: "International Women's Day" }),
  holiday('nauryz-1', '03-21', nauryz),
  holiday('nauryz-2', '03-22', nauryz),
  holiday('nauryz-3', '03-23', nauryz),
  holiday('unity-day', '05-01', { kk: 'Қазақстан халқының бірлігі мерекесі', ru: 'Праздник единства народа Казахстана', en: 'Unity Day' }),
  holiday('defender-day', '05-07', { kk: 'Отан қорғаушы күні', ru: 'День защитника Отечества', en: 'Defender of the Fatherland Day' }),
  holiday('victory-day', '05-09', { kk: 'Жеңіс күні', ru: 'День Победы', en: 'Victory Day' }),
  holiday('capital-day', '07-06', { kk: 'Астана күні', ru: 'День столицы', en: 'Capital Day' }),
  holiday('constitution-day-aug', '08-30', constitutionDay, { validFrom: '2002-01-01', validTo: '2025-12-31' }),
  holiday(
    'constitution-day-mar',
    '03-15',
    constitutionDay,
    { validFrom: '2027-01-01', validTo: null },
    {
      act: 'Constitution of the RK adopted by referendum of 15.03.2026 (in force 01.07.2026); amendment of the holidays law awaited',
      confidence: 'inferred',
      note: 'whether 15 March is a day off from 2027 awaits the amended holidays law; correct with an override',
      cite: {
        kk: 'ҚР Конституциясы (2026 жылғы 15 наурыздағы референдум); мерекелер туралы заңның өзгерістері күтілуде ⚠',
        ru: 'Конституция РК (референдум 15.03.2026); изменения закона о праздниках ожидаются ⚠',
        en: 'Constitution of the RK (referendum of 15.03.2026); the amended holidays law is awaited ⚠',
      },
    },
  ),
  holiday('republic-day', '10-25', { kk: 'Республика күні', ru: 'День Республики', en: 'Republic Day' }, { validFrom: '2022-01-01', validTo: null }),
  holiday('independence-day', '12-16', { kk: 'Тәуелсіздік күні', ru: 'День Независимости', en: 'Independence Day' }, { validFrom: '2022-01-01', validTo: null }),
];

const orthodoxChristmasNames = { kk: 'Православиелік Рождество', ru: 'Православное Рождество', en: 'Orthodox Christmas' };
const religiousDaysSource: LegalSource = {
  act: 'Labour Code of the RK No. 414-V of 23.11.2015',
  provision: 'religious days off',
  confidence: 'official',
  cite: { kk: 'ҚР Еңбек кодексі: діни мерекелердің демалыс күндері', ru: 'Трудовой кодекс РК: выходные дни религиозных праздников', en: 'Labour Code of the RK: religious days off' },
};

const orthodoxChristmas = (year: number): ReligiousDayOff => ({
  kind: 'religious',
  id: `orthodox-christmas-${year}`,
  names: orthodoxChristmasNames,
  date: `${year}-01-07`,
  source: religiousDaysSource,
});

const kurbanAitNames = { kk: 'Құрбан айт', ru: 'Курбан айт', en: 'Kurban Ait' };

const kurbanAit = (date: string, source: LegalSource): ReligiousDayOff => ({
  kind: 'religious',
  id: `kurban-ait-${date.slice(0, 4)}`,
  names: kurbanAitNames,
  date,
  source,
});

const kurbanAitDecree = (note: string): LegalSource => ({
  act: 'Government decree on the date of the first day of Kurban Ait, on the Spiritual Administration of Muslims of Kazakhstan\'s announcement',
  confidence: 'official',
  note,
  cite: {
    kk: 'Құрбан айттың бірінші күні туралы ҚР Үкіметінің қаулысы',
    ru: 'Постановление Правительства РК о дне Курбан айта',
    en: 'Government decree on the first day of Kurban Ait',
  },
});

export const kazakhstanCalendar: CalendarData = {
  country: 'KZ',
  version: '2026-11-22',
  coverage: {
    from: '2024-01-01',
    to: '2027-12-31',
    years: { 2024: 'confirmed', 2025: 'confirmed', 2026: 'confirmed', 2027: 'provisional' },
  },
  weekend: [6, 7],
  weekendSource: fiveDayWeek,
  transferRule: { source: labourCode },
  holidays,
  religiousDaysOff: [
    ...[2024, 2025, 2026, 2027].map(orthodoxChristmas),
    kurbanAit('2024-06-16', kurbanAitDecree('changed from 17 to 16 June on 7 June 2024')),
    kurbanAit('2025-06-06', kurbanAitDecree('2025')),
    kurbanAit('2026-05-27', kurbanAitDecree('2026')),
    kurbanAit('2027-05-16', {
      act: 'not yet announced',
      confidence: 'inferred',
      note: 'expected mid-May 2027 (10 Dhu al-Hijjah 1448 falls on Sunday 16 May by calculation); correct with an override when announced',
      cite: {
        kk: 'Құрбан айттың 2027 жылғы күні әлі жарияланған жоқ: есеп бойынша ⚠',
        ru: 'Дата Курбан айта в 2027 году ещё не объявлена: по расчёту ⚠',
        en: 'The date of Kurban Ait in 2027 is not yet announced: by calculation ⚠',
      },
    }),
  ],
  transfers: [
    {
      kind: 'transfer',
      id: 'transfer-2024-05',
      dayOff: '2024-05-08',
      workingDay: '2024-05-04',
      source: {
        act: 'Order of the Minister of Labour and Social Protection of the RK "On the transfer of a day of rest in 2024"',
        confidence: 'secondary',
        note: 'day of rest moved from Saturday 4 May to Wednesday 8 May 2024',
        cite: {
          kk: 'ҚР Еңбек және халықты әлеуметтік қорғау министрінің «2024 жылы демалыс күнін ауыстыру туралы» бұйрығы',
          ru: 'Приказ Министра труда и социальной защиты населения РК «О переносе дня отдыха в 2024 году»',
          en: 'Order of the Minister of Labour and Social Protection of the RK on the transfer of a day of rest in 2024',
        },
      },
    },
    {
      kind: 'transfer',
      id: 'transfer-2025-01',
      dayOff: '2025-01-03',
      workingDay: '2025-01-05',
      source: {
        act: 'Order of the Minister of Labour and Social Protection of the RK No. 436 of 21.11.2024',
        confidence: 'official',
        note: 'day of rest moved from Sunday 5 January to Friday 3 January 2025',
        cite: {
          kk: 'ҚР Еңбек және халықты әлеуметтік қорғау министрінің 2024 жылғы 21 қарашадағы № 436 бұйрығы',
          ru: 'Приказ Министра труда и социальной защиты населения РК от 21.11.2024 № 436',
          en: 'Order of the Minister of Labour and Social Protection of the RK No. 436 of 21.11.2024',
        },
      },
    },
  ],
  projection: {
    years: 10,
    why:
      'the catalog counts at most 36 months (1,100 days) and an action plan runs a few years, so ten years past the last published year carries any clock opened ' +
      'while that year is current, with room for multi-year plans; further ahead the holidays law itself, not only the dates, is a guess no deadline should rest on',
    religiousDays: [
      { kind: 'fixed', id: 'orthodox-christmas', names: orthodoxChristmasNames, day: '01-07', source: religiousDaysSource },
      {
        kind: 'islamic',
        id: 'kurban-ait',
        names: kurbanAitNames,
        month: 12,
        day: 10,
        // The epoch that matches the published dates of 2024 and 2025 exactly (2026 a day early): see islamic.ts.
        epoch: 'astronomical',
        source: {
          act: 'Labour Code of the RK No. 414-V of 23.11.2015 (religious days off); the date is set each year by Government decree',
          provision: 'the first day of Kurban Ait, 10 Dhu al-Hijjah',
          confidence: 'inferred',
          note: 'computed with the tabular Islamic calendar (astronomical epoch): provisional, the announced date may differ by a day or two (in 2024 it moved from 17 to 16 June on 7 June); correct with an override when announced',
          cite: {
            kk: 'ҚР Еңбек кодексі (діни мерекелердің демалыс күндері); күнін жыл сайын Үкімет белгілейді, мұнда есеппен алынған ⚠',
            ru: 'Трудовой кодекс РК (выходные дни религиозных праздников); дату ежегодно устанавливает Правительство, здесь она рассчитана ⚠',
            en: 'Labour Code of the RK (religious days off); the Government sets the date each year, computed here ⚠',
          },
        },
      },
    ],
  },
};
