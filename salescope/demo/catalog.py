"""Static material of the demo department: people, products, sources, words.

The behaviour profiles of the managers are where the demo's patterns live (see `MANAGERS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ManagerProfile:
    """How one demo manager works; the generator turns these numbers into records."""

    ref: str
    name: str
    team: str
    phone_ext: str
    slow_first_response: bool = False  # answers new leads hours later instead of minutes
    win_factor: float = 1.0  # multiplies the chance that a deal is won
    calls_factor: float = 1.0  # share of contact steps done by phone (the rest: meetings, e-mails, messages)
    upsell_share: float = 0.45  # share of deals with more than one product
    callback_on_time: float = 0.9  # callbacks called within the window; the rest split late / missed
    callback_late: float = 0.07


TEAMS: list[tuple[str, str]] = [("msk", "Москва"), ("regions", "Регионы")]

# The patterns a head of sales should find in the demo:
# - kolya answers new leads hours late (first response median of hours);
# - olga misses most of her callbacks (and the deals behind them);
# - anna closes well with few calls (high win rate, low calls_out);
# - sergey never sells more than one product per deal (upsell_rate 0);
# - avito brings many leads and spend but never a won deal (see SOURCES).
MANAGERS: list[ManagerProfile] = [
    ManagerProfile("kolya", "Николай Петров", "msk", "101", slow_first_response=True),
    ManagerProfile("anna", "Анна Смирнова", "msk", "102", win_factor=3.2, calls_factor=0.12),
    ManagerProfile("sergey", "Сергей Попов", "msk", "103", upsell_share=0.0),
    ManagerProfile("elena", "Елена Васильева", "msk", "104"),
    ManagerProfile("dmitry", "Дмитрий Кузнецов", "msk", "105"),
    ManagerProfile("olga", "Ольга Новикова", "regions", "201", callback_on_time=0.15, callback_late=0.20),
    ManagerProfile("alexey", "Алексей Морозов", "regions", "202"),
    ManagerProfile("maria", "Мария Волкова", "regions", "203"),
    ManagerProfile("ivan", "Иван Соколов", "regions", "204"),
    ManagerProfile("tatiana", "Татьяна Лебедева", "regions", "205"),
]

HEAD = ("head", "Ирина Козлова")
ADMIN = ("admin", "Администратор Salescope")
EMAIL_DOMAIN = "salescope.example"

PIPELINE_ID = "sales"
PIPELINE_NAME = "Продажи"
STAGES: list[tuple[str, str, str]] = [
    ("new", "Новый лид", "open"),
    ("qualified", "Квалификация", "open"),
    ("proposal", "КП отправлено", "open"),
    ("negotiation", "Переговоры", "open"),
    ("won", "Успешно реализовано", "won"),
    ("lost", "Закрыто и не реализовано", "lost"),
]


@dataclass(frozen=True)
class ProductInfo:
    ref: str
    name: str
    price: Decimal


PRODUCTS: list[ProductInfo] = [
    ProductInfo("split-std", "Сплит-система Standard 2,5 кВт", Decimal("45900.00")),
    ProductInfo("split-pro", "Сплит-система Premium 3,5 кВт", Decimal("78500.00")),
    ProductInfo("multi-split", "Мульти-сплит система на 3 комнаты", Decimal("186000.00")),
    ProductInfo("ventilation", "Приточная вентиляция", Decimal("245000.00")),
    ProductInfo("install", "Монтаж сплит-системы", Decimal("14500.00")),
    ProductInfo("service", "Сервисное обслуживание, год", Decimal("24000.00")),
    ProductInfo("design", "Проектирование системы", Decimal("60000.00")),
    ProductInfo("delivery", "Доставка и подъём", Decimal("3500.00")),
]
MAIN_PRODUCTS = ["split-std", "split-pro", "multi-split", "ventilation"]
MAIN_WEIGHTS = [45, 30, 15, 10]
# Which add-ons make sense with which main product.
ADD_ONS = {
    "split-std": ["install", "service", "delivery"],
    "split-pro": ["install", "service", "delivery"],
    "multi-split": ["install", "service", "design"],
    "ventilation": ["design", "service"],
}


@dataclass(frozen=True)
class SourceProfile:
    name: str
    weight: int  # share of new contacts
    win_factor: float  # multiplies the chance that a deal is won (0: never)
    lead_channels: tuple[str, ...]  # how the first contact arrives: form, call, telegram, whatsapp, avito, email
    campaigns: tuple[str, ...] = ()
    utm_source: str = ""
    utm_medium: str = ""
    daily_spend: Decimal = Decimal(0)  # mean daily spend per campaign (0: no paid traffic)


SOURCES: list[SourceProfile] = [
    SourceProfile(
        "yandex_direct",
        26,
        1.0,
        ("form", "form", "call", "whatsapp"),
        ("kondicionery_poisk", "kondicionery_rsya"),
        "yandex",
        "cpc",
        Decimal("28000"),
    ),
    SourceProfile(
        "google_ads",
        10,
        0.8,
        ("form", "form", "call"),
        ("search_brand", "search_conditioners"),
        "google",
        "cpc",
        Decimal("12000"),
    ),
    SourceProfile("seo", 14, 1.1, ("form", "form", "call", "telegram")),
    SourceProfile("referral", 8, 1.6, ("call", "whatsapp", "telegram")),
    SourceProfile("cold", 10, 0.5, ("cold",)),
    SourceProfile(
        "avito", 24, 0.0, ("avito", "avito", "call"), ("avito_obyavleniya",), "avito", "cpc", Decimal("18000")
    ),
    SourceProfile("vk_ads", 8, 0.7, ("form", "telegram"), ("vk_leadforms",), "vk", "paid_social", Decimal("12000")),
]

UTM_TERMS = ["купить кондиционер", "кондиционер с установкой", "сплит система цена", "монтаж кондиционера"]

LOSS_REASONS = ["Дорого", "Выбрали конкурента", "Не актуально", "Нет бюджета", "Не дозвонились"]

MALE_FIRST = [
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Виктор", "Владимир", "Вячеслав",
    "Геннадий", "Георгий", "Григорий", "Денис", "Дмитрий", "Евгений", "Егор", "Игорь", "Илья", "Кирилл",
    "Константин", "Максим", "Михаил", "Никита", "Олег", "Павел", "Роман", "Руслан", "Сергей", "Станислав",
    "Тимур", "Фёдор", "Юрий", "Ярослав",
]  # fmt: skip
FEMALE_FIRST = [
    "Алина", "Алла", "Анастасия", "Ангелина", "Валентина", "Валерия", "Вера", "Виктория", "Галина", "Дарья",
    "Евгения", "Екатерина", "Елена", "Жанна", "Зоя", "Инна", "Ирина", "Карина", "Кристина", "Ксения",
    "Лариса", "Любовь", "Людмила", "Марина", "Надежда", "Наталья", "Нина", "Оксана", "Полина", "Светлана",
    "София", "Юлия", "Яна",
]  # fmt: skip
SURNAMES = [
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров",
    "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев",
    "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев",
    "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
    "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов",
    "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров",
]  # fmt: skip
LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
COMPANY_FORMS = ["ООО", "ООО", "ООО", "АО", "ИП"]
COMPANY_WORDS = [
    "Стройресурс", "Техноторг", "Северный ветер", "Альфа-Сервис", "Горизонт", "Меридиан", "Вектор", "Гранит",
    "Лидер", "Прогресс", "Импульс", "Кристалл", "Магистраль", "Оптима", "Фортуна", "Регион-Строй", "Уют-Дом",
    "Тёплый край", "Профмонтаж", "Энергия", "Бизнес-Центр Нева", "Аквилон", "Сфера", "Монолит", "Ресурс",
    "Гелиос", "Атлант", "Стандарт", "Эверест", "Галактика",
]  # fmt: skip
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]

MESSAGE_CHANNELS = ("telegram", "whatsapp")
