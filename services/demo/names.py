"""Word lists for the demo database: names, companies, cities, texts.

Plain data, no logic: ``services.demo.generate`` draws from these with a seeded
random generator, so the lists' order is part of what a seed produces.
"""

from __future__ import annotations

# fmt: off
# --- People ------------------------------------------------------------------

RU_MALE_FIRST = (
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Валерий",
    "Василий", "Виктор", "Владимир", "Вячеслав", "Геннадий", "Георгий", "Григорий",
    "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Илья", "Кирилл", "Константин",
    "Леонид", "Максим", "Михаил", "Никита", "Николай", "Олег", "Павел", "Пётр",
    "Роман", "Руслан", "Сергей", "Станислав", "Степан", "Тимур", "Фёдор", "Юрий",
    "Ярослав",
)
RU_FEMALE_FIRST = (
    "Алина", "Алла", "Анастасия", "Анна", "Валентина", "Вера", "Виктория", "Галина",
    "Дарья", "Евгения", "Екатерина", "Елена", "Елизавета", "Жанна", "Зоя", "Инна",
    "Ирина", "Кристина", "Ксения", "Лариса", "Людмила", "Маргарита", "Марина",
    "Мария", "Надежда", "Наталья", "Нина", "Оксана", "Ольга", "Полина", "Светлана",
    "София", "Татьяна", "Юлия",
)
# Father's name -> (patronymic of a son, of a daughter).
RU_PATRONYMICS = (
    ("Александрович", "Александровна"), ("Алексеевич", "Алексеевна"),
    ("Андреевич", "Андреевна"), ("Борисович", "Борисовна"), ("Викторович", "Викторовна"),
    ("Владимирович", "Владимировна"), ("Вячеславович", "Вячеславовна"),
    ("Геннадьевич", "Геннадьевна"), ("Георгиевич", "Георгиевна"),
    ("Григорьевич", "Григорьевна"), ("Дмитриевич", "Дмитриевна"),
    ("Евгеньевич", "Евгеньевна"), ("Иванович", "Ивановна"), ("Игоревич", "Игоревна"),
    ("Ильич", "Ильинична"), ("Константинович", "Константиновна"),
    ("Леонидович", "Леонидовна"), ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"), ("Олегович", "Олеговна"), ("Павлович", "Павловна"),
    ("Петрович", "Петровна"), ("Романович", "Романовна"), ("Сергеевич", "Сергеевна"),
    ("Степанович", "Степановна"), ("Фёдорович", "Фёдоровна"), ("Юрьевич", "Юрьевна"),
)
# Male forms; ``demo.feminine_surname`` makes the female ones.
RU_SURNAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
    "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев",
    "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов",
    "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов",
    "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов",
    "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов",
    "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов",
    "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев",
    "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков",
    "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов",
    "Гаврилов", "Тихонов", "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев",
    "Фомин", "Чернов", "Абрамов", "Мартынов", "Ефимов", "Федотов", "Щербаков",
    "Назаров", "Калинин", "Исаев", "Чернышёв", "Быков", "Маслов", "Родионов",
    "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев",
    "Кудрявцев", "Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов",
    "Леонов", "Соболев", "Ермаков", "Колесников", "Гончаров", "Емельянов", "Никифоров",
    "Грачёв", "Котов", "Гришин", "Ефремов", "Архипов", "Громов", "Кириллов", "Малышев",
    "Панов", "Моисеев", "Румянцев", "Акимов", "Кондратьев", "Бирюков", "Горбунов",
    "Анисимов", "Ерёмин", "Тихомиров", "Галкин", "Лукьянов", "Михеев", "Скворцов",
    "Юдин", "Белоусов", "Нестеров", "Симонов", "Прокофьев", "Харитонов", "Князев",
    "Цветков", "Левин", "Митрофанов", "Воронов", "Аксёнов", "Софронов", "Мальцев",
    "Логинов", "Горшков", "Савин", "Краснов", "Майоров", "Демидов", "Елисеев",
    "Рыбаков", "Сафонов", "Плотников", "Дёмин", "Хохлов", "Жданов", "Рябов",
    "Островский", "Вишневский", "Покровский", "Трубецкой", "Черных", "Шевчук",
    "Ковальчук", "Бондаренко", "Лысенко", "Руденко", "Седых", "Долгих",
)

KZ_MALE_FIRST = (
    "Нурлан", "Ерлан", "Серик", "Асхат", "Данияр", "Ержан", "Арман", "Бауыржан",
    "Канат", "Марат", "Руслан", "Тимур", "Айдос", "Ерболат", "Жандос", "Нурсултан",
)
KZ_FEMALE_FIRST = (
    "Айгерим", "Асель", "Динара", "Гульнара", "Жанар", "Салтанат", "Алия", "Камила",
    "Мадина", "Айгуль", "Сауле", "Дана", "Карлыгаш", "Жанна",
)
KZ_PATRONYMICS = (
    ("Серикович", "Сериковна"), ("Нурланович", "Нурлановна"), ("Маратович", "Маратовна"),
    ("Канатович", "Канатовна"), ("Ерланович", "Ерлановна"), ("Асхатович", "Асхатовна"),
    ("Болатович", "Болатовна"), ("Ермекович", "Ермековна"), ("Талгатович", "Талгатовна"),
)
KZ_SURNAMES = (
    "Ахметов", "Сериков", "Жумабаев", "Нурпеисов", "Касымов", "Абдрахманов",
    "Искаков", "Омаров", "Сулейменов", "Тулегенов", "Байжанов", "Есенов", "Кенжебаев",
    "Мухамеджанов", "Садыков", "Ибраев", "Ержанов", "Сатпаев", "Утепов", "Жакупов",
)

EN_MALE_FIRST = (
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Thomas",
    "Daniel", "Matthew", "Andrew", "Mark", "Paul", "Steven", "George", "Edward",
    "Oliver", "Harry", "Jack", "Samuel", "Christopher", "Benjamin", "Henry", "Peter",
)
EN_FEMALE_FIRST = (
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Susan", "Jessica", "Sarah",
    "Karen", "Emily", "Emma", "Olivia", "Sophie", "Charlotte", "Amelia", "Grace",
    "Hannah", "Laura", "Rachel", "Victoria", "Helen", "Kate", "Lucy", "Anna",
)
EN_SURNAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
    "Taylor", "Anderson", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell",
    "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins",
    "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper",
    "Hughes", "Price", "Bennett", "Wood", "Barnes", "Ross", "Henderson", "Coleman",
    "O'Brien", "Fletcher", "Hayes", "Palmer",
)

DE_MALE_FIRST = (
    "Thomas", "Michael", "Andreas", "Stefan", "Christian", "Markus", "Jürgen", "Klaus",
    "Wolfgang", "Matthias", "Frank", "Uwe", "Jan", "Lukas", "Felix", "Tobias",
)
DE_FEMALE_FIRST = (
    "Sabine", "Petra", "Claudia", "Andrea", "Monika", "Stefanie", "Katrin", "Julia",
    "Anna", "Laura", "Lena", "Sarah", "Jana", "Birgit",
)
DE_SURNAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
    "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
    "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann",
)

# --- Companies ---------------------------------------------------------------

RU_COMPANY_WORDS = (
    "Ромашка", "Северсталь-Трейд", "Техностиль", "Промсервис", "Вектор", "Альфа-Логистик",
    "СтройИнвест", "Гефест", "Меридиан", "Навигатор", "Континент", "Интеграл", "Спектр",
    "Прогресс", "Созвездие", "Орион", "Гранит", "Волга-Транс", "Уралпромснаб",
    "Сибирская нива", "Балтийский берег", "ТехноПарк", "Энергомаш", "АгроТорг",
    "Фармация", "Лидер", "Стандарт", "Атлант", "Радуга", "Полюс", "Магистраль",
    "Карат", "Кристалл", "Восход", "Зенит", "Феникс", "Пилот", "Эталон", "Аврора",
    "Русский лес", "Северный ветер", "Нева-Сервис", "Камский завод", "Оптима",
    "Инфосистемы", "ПромАвтоматика", "ТоргДом Южный", "Медтехника", "СпецМонтаж",
    "ЭкоПродукт", "Доброфлот", "Агрокомплекс", "Ладога", "Байкал-Инвест",
)
RU_LEGAL_FORMS = ("ООО", "ООО", "ООО", "ООО", "АО", "АО", "ПАО", "ЗАО")
KZ_COMPANY_WORDS = (
    "Алатау", "Каспий-Ойл", "Степь Логистик", "Астана-Строй", "Жетысу Агро",
    "Казахстан Темир", "Тенгри", "Байтерек", "Арман Трейд", "Алтын Дала", "Медеу",
    "Сарыарка Энерго", "Атамекен", "Шанырак",
)
KZ_LEGAL_FORMS = ("ТОО", "ТОО", "ТОО", "АО")
EN_COMPANY_FIRST = (
    "Acme", "Northwind", "Bluefield", "Redstone", "Silverline", "Greenway", "Oakridge",
    "Highland", "Summit", "Pioneer", "Atlas", "Horizon", "Brightwater", "Crescent",
    "Falcon", "Granite", "Harbor", "Keystone", "Lakeside", "Meridian", "Northstar",
    "Pinnacle", "Riverside", "Sterling", "Westfield", "Evergreen", "Ironbridge",
)
EN_COMPANY_SECOND = (
    "Logistics", "Trading", "Systems", "Foods", "Engineering", "Consulting",
    "Industries", "Supplies", "Technologies", "Holdings", "Freight", "Retail",
    "Pharma", "Energy", "Analytics", "Media", "Partners", "Components",
)
GB_LEGAL_FORMS = ("Ltd", "Ltd", "Ltd", "PLC", "LLP")
US_LEGAL_FORMS = ("Inc.", "Inc.", "LLC", "LLC", "Corp.")
DE_COMPANY_FIRST = (
    "Rheinland", "Nordstern", "Alpen", "Elbe", "Bavaria", "Schwarzwald", "Hansa",
    "Sonnenberg", "Kronberg", "Taunus", "Spree", "Weser",
)
DE_COMPANY_SECOND = (
    "Logistik", "Maschinenbau", "Handel", "Technik", "Automation", "Elektro",
    "Systeme", "Verpackung", "Chemie", "Medizintechnik",
)
DE_LEGAL_FORMS = ("GmbH", "GmbH", "GmbH", "AG", "GmbH & Co. KG")

# --- Places and phones ---------------------------------------------------------
# (region, city, IANA zone, country calling code, landline prefixes, digits after
# the prefix, street names). A prefix is what follows the country code.

CITIES: tuple[tuple[str, str, str, int, tuple[str, ...], int, tuple[str, ...]], ...] = (
    ("RU", "Москва", "Europe/Moscow", 7, ("495", "499"), 7,
     ("ул. Тверская", "Ленинский пр-т", "ул. Большая Ордынка", "Профсоюзная ул.",
      "ул. Новый Арбат", "Варшавское ш.")),
    ("RU", "Санкт-Петербург", "Europe/Moscow", 7, ("812",), 7,
     ("Невский пр-т", "ул. Марата", "Лиговский пр-т", "Московский пр-т")),
    ("RU", "Казань", "Europe/Moscow", 7, ("843",), 7,
     ("ул. Баумана", "пр-т Победы", "ул. Пушкина")),
    ("RU", "Нижний Новгород", "Europe/Moscow", 7, ("831",), 7,
     ("ул. Большая Покровская", "Московское ш.")),
    ("RU", "Екатеринбург", "Asia/Yekaterinburg", 7, ("343",), 7,
     ("ул. Малышева", "пр-т Ленина", "ул. 8 Марта")),
    ("RU", "Новосибирск", "Asia/Novosibirsk", 7, ("383",), 7,
     ("Красный пр-т", "ул. Кирова", "ул. Фрунзе")),
    ("RU", "Самара", "Europe/Samara", 7, ("846",), 7,
     ("Московское ш.", "ул. Куйбышева")),
    ("RU", "Красноярск", "Asia/Krasnoyarsk", 7, ("391",), 7,
     ("пр-т Мира", "ул. Ленина")),
    ("KZ", "Алматы", "Asia/Almaty", 7, ("727",), 7,
     ("пр-т Абая", "ул. Толе би", "пр-т Достык", "ул. Сатпаева")),
    ("KZ", "Астана", "Asia/Almaty", 7, ("7172",), 6,
     ("пр-т Республики", "ул. Кенесары", "пр-т Мангилик Ел")),
    ("GB", "London", "Europe/London", 44, ("20",), 8,
     ("Oxford Street", "Baker Street", "King's Road", "Fleet Street", "Old Street")),
    ("GB", "Manchester", "Europe/London", 44, ("161",), 7,
     ("Deansgate", "Market Street", "Oxford Road")),
    ("US", "New York, NY", "America/New_York", 1, ("212", "646"), 7,
     ("Broadway", "Madison Avenue", "Lexington Avenue", "Wall Street")),
    ("US", "Chicago, IL", "America/Chicago", 1, ("312",), 7,
     ("Michigan Avenue", "State Street", "Wacker Drive")),
    ("US", "San Francisco, CA", "America/Los_Angeles", 1, ("415",), 7,
     ("Market Street", "Mission Street", "Howard Street")),
    ("DE", "Berlin", "Europe/Berlin", 49, ("30",), 8,
     ("Friedrichstraße", "Kurfürstendamm", "Torstraße", "Chausseestraße")),
    ("DE", "München", "Europe/Berlin", 49, ("89",), 8,
     ("Leopoldstraße", "Maximilianstraße", "Landsberger Straße")),
    ("DE", "Hamburg", "Europe/Berlin", 49, ("40",), 8,
     ("Mönckebergstraße", "Jungfernstieg")),
)
# How often each region is drawn: Russian-speaking ~60 %, the rest ~40 %.
REGION_WEIGHTS = {"RU": 52, "KZ": 8, "GB": 14, "US": 14, "DE": 12}
CITY_WEIGHTS = {
    "Москва": 40, "Санкт-Петербург": 20, "Казань": 8, "Нижний Новгород": 7,
    "Екатеринбург": 9, "Новосибирск": 8, "Самара": 4, "Красноярск": 4,
    "Алматы": 70, "Астана": 30, "London": 80, "Manchester": 20,
    "New York, NY": 60, "Chicago, IL": 20, "San Francisco, CA": 20,
    "Berlin": 50, "München": 30, "Hamburg": 20,
}
MOBILE_PREFIXES: dict[str, tuple[tuple[str, int], ...]] = {
    "RU": (("903", 7), ("905", 7), ("906", 7), ("909", 7), ("915", 7), ("916", 7),
           ("917", 7), ("921", 7), ("926", 7), ("977", 7), ("985", 7), ("999", 7)),
    "KZ": (("701", 7), ("702", 7), ("705", 7), ("707", 7), ("747", 7), ("777", 7)),
    "GB": (("74", 8), ("75", 8), ("77", 8), ("78", 8), ("79", 8)),
    "US": (("917", 7), ("347", 7), ("646", 7), ("312", 7), ("415", 7)),
    "DE": (("151", 8), ("160", 7), ("170", 7), ("171", 7), ("176", 8)),
}
CURRENCIES = {"RU": "RUB", "KZ": "KZT", "GB": "GBP", "US": "USD", "DE": "EUR"}
TLDS = {"RU": ("ru", "ru", "ru", "com"), "KZ": ("kz", "kz", "com"), "GB": ("co.uk", "com"),
        "US": ("com", "com", "io"), "DE": ("de", "de", "com")}
FREE_MAIL = {"RU": ("mail.ru", "yandex.ru", "gmail.com"), "KZ": ("mail.kz", "gmail.com"),
             "GB": ("gmail.com", "outlook.com"), "US": ("gmail.com", "outlook.com"),
             "DE": ("gmx.de", "web.de", "gmail.com")}

# --- Positions -----------------------------------------------------------------

RU_POSITIONS = (
    "Генеральный директор", "Коммерческий директор", "Финансовый директор",
    "Главный бухгалтер", "Менеджер по закупкам", "Начальник отдела снабжения",
    "Руководитель отдела продаж", "Главный инженер", "Юрист", "Офис-менеджер",
    "Технический директор", "Специалист по логистике", "Заместитель директора",
    "Руководитель ИТ-отдела", "Специалист по тендерам",
)
EN_POSITIONS = (
    "CEO", "CFO", "COO", "Procurement Manager", "Head of Operations", "Office Manager",
    "Purchasing Director", "IT Manager", "Finance Controller", "Logistics Coordinator",
    "Sales Director", "Legal Counsel", "Managing Director",
)
DE_POSITIONS = (
    "Geschäftsführer", "Einkaufsleiter", "Leiter Vertrieb", "Prokurist",
    "Leiter Logistik", "Buchhaltung", "IT-Leiter", "Assistenz der Geschäftsführung",
)

# --- Deals ---------------------------------------------------------------------

RU_DEAL_TITLES = (
    "Поставка оборудования", "Годовой контракт на обслуживание", "Внедрение CRM",
    "Поставка расходных материалов", "Аренда спецтехники", "Монтаж вентиляции",
    "Логистика: доставка по РФ", "Лицензии на ПО", "Проект автоматизации склада",
    "Ремонт офиса", "Обучение персонала", "Поставка металлопроката",
    "Сервисный договор на 2 года", "Пилотный проект", "Расширение договора",
)
EN_DEAL_TITLES = (
    "Equipment supply", "Annual service contract", "CRM rollout", "Consumables supply",
    "Warehouse automation", "Software licences", "Freight contract",
    "Staff training programme", "Pilot project", "Contract extension",
    "Spare parts framework agreement", "Office fit-out",
)

# --- Interactions ----------------------------------------------------------------
# Subjects and bodies; "{contact}", "{company}", "{deal}", "{amount}", "{day}"
# are filled in by ``services.demo.generate``.

RU_CALL_SUBJECTS = (
    "Звонок: уточнение потребности", "Звонок по счёту", "Обсуждение условий поставки",
    "Согласование сроков", "Звонок: обратная связь по КП", "Напоминание об оплате",
    "Входящий звонок: вопрос по доставке", "Уточнение реквизитов", "Звонок: {deal}",
)
RU_CALL_BODIES = (
    "Поговорили с {contact}. Интересует {deal}; попросили перезвонить после {day}.",
    "{contact} подтвердил(а) получение коммерческого предложения, обсуждают внутри.",
    "Уточнили объёмы и сроки. Бюджет около {amount}. Нужен договор до конца месяца.",
    "Не дозвонились, оставили сообщение секретарю.",
    "Клиент просит скидку 5 % при предоплате. Согласовать с руководителем.",
    "Обсудили претензию по последней поставке, пообещали замену в течение недели.",
    "Договорились о встрече в офисе {company}.",
)
RU_MEETING_SUBJECTS = (
    "Встреча в офисе клиента", "Презентация решения", "Переговоры по договору",
    "Демонстрация продукта", "Встреча: {deal}", "Обсуждение пилотного проекта",
)
RU_MEETING_BODIES = (
    "Присутствовали {contact} и технический специалист. Показали демо, вопросы по интеграции.",
    "Обсудили спецификацию и график поставок. Следующий шаг: КП до {day}.",
    "Переговоры по цене: клиент готов подписать при отсрочке платежа 30 дней.",
    "Встреча перенесена по просьбе клиента.",
    "Провели презентацию для руководства {company}, реакция положительная.",
)
RU_EMAIL_SUBJECTS = (
    "Коммерческое предложение", "Счёт на оплату", "Договор на согласование",
    "Re: Коммерческое предложение", "Акт сверки", "Спецификация к договору",
    "Приглашение на вебинар", "Re: Сроки поставки", "Уточнение по заказу",
    "{deal}: документы",
)
RU_EMAIL_BODIES = (
    "Добрый день, {contact}!\n\nНаправляем коммерческое предложение по проекту «{deal}».\n"
    "Сумма: {amount}. Будем рады ответить на вопросы.\n\nС уважением,\nотдел продаж",
    "Здравствуйте!\n\nВо вложении счёт на оплату. Просим оплатить до {day}.\n\nСпасибо!",
    "Коллеги, добрый день.\n\nПрошу согласовать договор до {day}. Правки отметьте в "
    "режиме рецензирования.",
    "Спасибо за письмо. Передали вопрос в технический отдел, ответим завтра.",
    "Добрый день! Подтверждаем отгрузку, номер накладной пришлём отдельно.",
)
RU_SMS_BODIES = (
    "Напоминаем о встрече {day} в 11:00.",
    "Счёт отправлен на почту.",
    "Перезвоните, пожалуйста, по поводу доставки.",
    "Груз отправлен, ожидайте завтра.",
    "Спасибо за заказ!",
)
RU_PLANNED_SUBJECTS = (
    "Перезвонить по КП", "Встреча: подписание договора", "Отправить счёт",
    "Созвониться о сроках", "Презентация для руководства", "Уточнить статус оплаты",
    "Звонок: продление договора", "Встреча на объекте",
)

EN_CALL_SUBJECTS = (
    "Call: requirements", "Call about the invoice", "Discussed delivery terms",
    "Timeline check-in", "Call: feedback on the proposal", "Payment reminder",
    "Inbound call: delivery question", "Call: {deal}",
)
EN_CALL_BODIES = (
    "Spoke to {contact}. Interested in {deal}; asked us to call back after {day}.",
    "{contact} confirmed they received the proposal and are reviewing it internally.",
    "Went through volumes and dates. Budget around {amount}. Contract needed by month end.",
    "No answer, left a voicemail.",
    "Customer asks for a 5% discount for prepayment. Check with the sales director.",
    "Discussed the complaint about the last delivery; promised a replacement within a week.",
    "Agreed to meet at the {company} office.",
)
EN_MEETING_SUBJECTS = (
    "On-site meeting", "Solution presentation", "Contract negotiation", "Product demo",
    "Meeting: {deal}", "Pilot project kick-off", "Quarterly business review",
)
EN_MEETING_BODIES = (
    "Attended by {contact} and their IT lead. Demo went well; questions about integration.",
    "Went through the specification and delivery schedule. Next step: proposal by {day}.",
    "Price negotiation: they would sign with 30-day payment terms.",
    "Meeting moved at the customer's request.",
    "Presented to the {company} leadership team; positive reaction.",
)
EN_EMAIL_SUBJECTS = (
    "Proposal", "Invoice", "Contract for review", "Re: Proposal", "Statement of account",
    "Specification", "Webinar invitation", "Re: Delivery dates", "Order question",
    "{deal}: documents",
)
EN_EMAIL_BODIES = (
    "Hi {contact},\n\nPlease find attached our proposal for {deal}.\nTotal: {amount}. "
    "Happy to answer any questions.\n\nBest regards,\nSales team",
    "Hello,\n\nAttached is the invoice. Payment is due by {day}.\n\nThank you!",
    "Dear all,\n\nPlease review the contract by {day}; mark your changes with track changes.",
    "Thanks for your email. We passed the question to our engineers and will reply tomorrow.",
    "Hello! We confirm the shipment; the tracking number follows separately.",
)
EN_SMS_BODIES = (
    "Reminder: our meeting on {day} at 11:00.",
    "Invoice sent to your email.",
    "Please call us back about the delivery.",
    "Your order has shipped and arrives tomorrow.",
    "Thank you for your order!",
)
EN_PLANNED_SUBJECTS = (
    "Call back about the proposal", "Meeting: contract signing", "Send the invoice",
    "Check in on timelines", "Presentation for the board", "Follow up on payment",
    "Call: contract renewal", "Site visit",
)

# --- Notes and tasks ---------------------------------------------------------------

RU_NOTES = (
    "Клиент предпочитает общение по почте, звонить только до обеда.",
    "ЛПР — {contact}. Решения принимаются на совещании по вторникам.",
    "Работают с конкурентом, недовольны сроками. Есть шанс перехватить.",
    "Оплата строго по безналу, нужны закрывающие документы в оригинале.",
    "Бюджет на следующий год утверждают в ноябре.",
    "Просили не присылать рассылки.",
    "Важно: склад принимает грузы только с 9 до 16.",
)
EN_NOTES = (
    "Prefers email; phone calls only in the morning.",
    "Decision maker is {contact}. Decisions are made at the Tuesday meeting.",
    "Currently with a competitor and unhappy about lead times. Good chance to win them.",
    "Pays by bank transfer only; needs original closing documents.",
    "Next year's budget is approved in November.",
    "Asked not to receive newsletters.",
    "Note: the warehouse accepts deliveries only 9am to 4pm.",
)
RU_TASKS = (
    "Подготовить коммерческое предложение", "Выставить счёт", "Отправить договор",
    "Проверить оплату", "Согласовать скидку с руководителем", "Обновить реквизиты",
    "Подготовить презентацию", "Запросить отзыв",
)
EN_TASKS = (
    "Prepare the proposal", "Issue the invoice", "Send the contract", "Check the payment",
    "Get the discount approved", "Update billing details", "Prepare the presentation",
    "Ask for a testimonial",
)

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

# --- Transliteration (GOST 7.79-2000 B, simplified) for logins, emails, domains ----

TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss",
}
# fmt: on
