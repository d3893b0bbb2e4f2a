"""The funded projects of the seeds, with their figures exactly as the documents give them.

Where a document gives no date (the start of BG06-101 and of МОСТ), the period begins with the
first date the documents do give of the project, and says so in its objectives; a figure the
documents disagree on (the contract number 4.002 / 4.003) is recorded as first published and then
corrected, as the funders' own reporting would show it.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from application.app import MrezhaApplication

CSI_CONFERENCE = "Добри практики и предизвикателства в работата с неактивни младежи между 15-29 год."


def load_projects(app: MrezhaApplication, centres: dict[str, UUID], activities: dict[str, UUID]) -> dict[str, UUID]:
    projects = {}
    # Stara Zagora: BG06-101, EEA Financial Mechanism, ended 30.04.2017 (seed 000).
    bg06, _ = app.projects.register_project(
        code="BG06-101", title="Международен младежки център за работа с деца и младежи в риск в гр. Стара Загора",
        funder="eea_norway", programme="BG06 „Деца и младежи в риск“", component="Компонент 1 – „Грижа за младежи в риск“",
        beneficiary="Община Стара Загора", beneficiary_centre_id=None, centre_ids=[centres["stara_zagora"]],
        partners=[{"name": "НПО „Свят без граници“", "country": "България"}],
        total_value="1395380", currency="EUR", starts_on=date(2015, 1, 1), planned_end=date(2017, 4, 30),
        target_group="Деца и младежи в риск",
        objectives="Международен младежки център с неформален образователен профил като инструмент за социално "
                   "включване (началната дата не е дадена в документите; 2015 г. е годината на кандидатстването за Знак за качество)",
    )
    app.projects.start_project(bg06, date(2015, 1, 1))
    app.projects.define_indicator(bg06, key="reached", name="Обхванати младежи", unit="младежи", target=700)
    app.projects.define_indicator(bg06, key="trained", name="Успешно обучени младежи", unit="младежи", target=253)
    app.projects.report_progress(bg06, key="reached", period="2015–2017", value=700, as_of=date(2017, 4, 30),
                                 source="Заключителна пресконференция (около 700)")
    app.projects.report_progress(bg06, key="trained", period="2015–2017", value=253, as_of=date(2017, 4, 30),
                                 source="Заключителна пресконференция")
    app.projects.close_project(bg06, date(2017, 4, 30))
    ceremony, _ = app.activities.plan_activity(
        host_centre_id=centres["stara_zagora"], title="Церемония по връчване на Знака за качество", kind="open_day",
        starts_on=date(2017, 5, 16), ends_on=date(2017, 5, 16), city="Стара Загора",
        venue="Международен младежки център",
    )
    app.projects.link_activity(bg06, ceremony, "церемония след приключването на проекта")
    projects["bg06"] = bg06

    # МОСТ: Bulgaria and Spain, ESF; final conference in Sofia on 19.10.2013 (seed 002).
    most, _ = app.projects.register_project(
        code="МОСТ", title="МОСТ – „Мрежа за обмен и социален трансфер“", funder="esf",
        programme="ОП „Развитие на човешките ресурси“", beneficiary="Сдружение „Международни инициативи за сътрудничество“",
        partners=[{"name": "Партньори от Испания", "country": "Испания"}], total_value="", currency="BGN",
        starts_on=date(2013, 1, 1), planned_end=date(2013, 12, 31),
        target_group="Организации и институции, които предоставят услуги на младежи",
        objectives="Развитие и трансфер на иновативни услуги за младежи между България и Испания "
                   "(стойността и началната дата не са дадени в документа)",
    )
    app.projects.start_project(most, date(2013, 1, 1))
    app.projects.define_indicator(most, key="seminars", name="Семинари в България и Испания", unit="семинара", target=2)
    app.projects.report_progress(most, key="seminars", period="2013", value=2, as_of=date(2013, 10, 19))
    # The final conference (Sofia, 19.10.2013) was held by the beneficiary, not by a member centre: no activity
    # of the network to link, so it stands in the history as an information event.
    app.projects.define_indicator(most, key="conferences", name="Заключителна конференция", unit="конференция", target=1)
    app.projects.report_progress(most, key="conferences", period="2013", value=1, as_of=date(2013, 10, 19),
                                 source="София, 19.10.2013")
    for title, kind, link in (
        ("Сравнителен анализ на трансферимостта на иновативни практики и услуги", "analysis", ""),
        ("Платформа за обмяна на опит и добри практики", "platform", "http://www.mostskills.com"),
    ):
        app.projects.add_deliverable(most, title=title, kind=kind, link=link)
    # Its final conference was its end: closed with its period, not "running" thirteen years on.
    app.projects.close_project(most, date(2013, 12, 31))
    projects["most"] = most

    # Plovdiv: the Centre for Social Innovation (seeds 003 and 004).
    csi, _ = app.projects.register_project(
        code="BG05M9OP001-4.002-0020-C01", title="Създаване на Център за социални иновации в Община Пловдив",
        funder="esf", programme="ОП „Развитие на човешките ресурси“ 2014-2020",
        component="BG05M9OP001-4.003 Транснационални партньорства", beneficiary="Община Пловдив",
        centre_ids=[centres["plovdiv"]], partners=[{"name": "„БД Център“ ООД", "country": "Полша"}],
        total_value="199408.00", currency="BGN", starts_on=date(2019, 3, 25), planned_end=date(2021, 6, 30),
        target_group="NEETs – младежи от 15 до 29 години извън заетост, образование и обучение",
        objectives="Устойчиво интегриране на пазара на труда на 150 младежи от 15 до 29 години („NEETs“) в Община Пловдив",
    )
    app.projects.correct_project_code(csi, "BG05M9OP001-4.003-0020-C01",
                                      "Съобщението за конференцията дава 4.002; описанието на проекта – 4.003")
    app.projects.start_project(csi, date(2019, 3, 25))
    app.projects.define_indicator(csi, key="neets", name="NEETs, обхванати от проекта", unit="младежи", target=150)
    app.projects.define_indicator(csi, key="consulted", name="NEETs, консултирани от ЦСИ", unit="младежи", target=150)
    app.projects.define_indicator(csi, key="reactivated", name="Реактивирани NEETs", unit="младежи", target=150)
    app.projects.report_progress(csi, key="consulted", period="2019–2021", value=86, as_of=date(2021, 6, 23),
                                 source="Международна конференция, 23.06.2021")
    app.projects.report_progress(csi, key="reactivated", period="2019–2021", value=17, as_of=date(2021, 6, 23),
                                 source="Международна конференция, 23.06.2021")
    app.projects.link_activity(csi, activities[CSI_CONFERENCE], "трето информационно събитие")
    for title, kind, link in (
        ("Наръчник за добри практики в работата на Центъра за социални иновации (български и английски)", "handbook", ""),
        ("Двуезична интернет страница", "website", ""),
        ("Facebook страница", "social", ""),
    ):
        app.projects.add_deliverable(csi, title=title, kind=kind, link=link)
    app.projects.close_project(csi, date(2021, 6, 30))
    projects["csi"] = csi
    return projects
