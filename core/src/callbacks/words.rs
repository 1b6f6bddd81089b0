//! The words of alerts (chat messages and emails to the owner), one table per language: the
//! six languages of the widget and the summary page.
//!
//! Language is chosen per endpoint (`lang` in its registration, English by default): one site
//! may send a Finnish team channel and an English owner's inbox, and an endpoint is where the
//! reader is known. Standard Webhooks JSON carries no words and ignores it.
//!
//! Words the summary page already has (rating, what went wrong and the five SERVQUAL choices,
//! contact, received, deadlines, statuses, durations, numbers and dates) are taken from its
//! table for the same language ([`AlertWords::page`]), so an owner reads the same words in the
//! alert and on the page. What only alerts say is here. Sentences avoid putting a number or a
//! name where the language would inflect it ("Target: 2 hours", not "within 2 hours"), since
//! the counted phrases and site names are in their basic form.

use crate::page_strings::{self, PageStrings};

/// Declares [`AlertWords`] and, for the tests, a list of its keys with their texts.
macro_rules! alert_words {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        pub struct $name { $($(#[$field_meta])* pub $field: $ty,)* }

        #[cfg(test)]
        impl $name {
            /// Every text key with its texts, in declaration order.
            fn keyed(&self) -> Vec<(&'static str, Vec<&'static str>)> {
                vec![$((stringify!($field), tests::Texts::of(&self.$field)),)*]
            }
        }
    };
}

alert_words! {
/// The words of alerts in one language. `{site}` is the site's name; `{target}`, `{age}` and
/// `{duration}` are durations; `{rating}` is a number.
#[derive(Debug)]
pub struct AlertWords {
    /// The summary page's words in the same language.
    pub page: &'static PageStrings,
    /// The headline of each event.
    pub reported: &'static str,
    pub overdue: &'static str,
    pub fixed: &'static str,
    pub praise: &'static str,
    /// How late an overdue failure is, per SLA clock.
    pub not_acknowledged: &'static str,
    pub not_fixed: &'static str,
    /// How long fixing took.
    pub fixed_after: &'static str,
    /// The rating on its scale.
    pub rating_csat: &'static str,
    pub rating_nps: &'static str,
    pub status: &'static str,
    /// The owner's note on a fix.
    pub fix_note: &'static str,
    /// The touchpoint: page, order and agent.
    pub page_label: &'static str,
    pub order: &'static str,
    pub agent: &'static str,
    /// How the customer would like to be called back, and the two channels.
    pub preferred_channel: &'static str,
    pub channel_names: [&'static str; 2],
    /// The teammate the failure is assigned to.
    pub assignee: &'static str,
    /// When the failure was acknowledged and fixed.
    pub acknowledged_at: &'static str,
    pub fixed_at: &'static str,
    /// The link to the entry's case page on the owner's pages.
    pub open_entry: &'static str,
    /// Between the items of a list (the SERVQUAL choices).
    pub list_separator: &'static str,
    /// Email only: said when `Reply-To` is the customer's address.
    pub reply_hint: &'static str,
    /// Email only: why the owner gets this, and where to stop it.
    pub footer: &'static str,
    /// The comment of a test alert (the owner's "send a test alert").
    pub test_comment: &'static str,
}
}

/// The alert languages, English first (the default).
pub const LANGS: [&str; 6] = ["en", "et", "fi", "pl", "ru", "ar"];

const ALL: [&AlertWords; 6] = [&EN, &ET, &FI, &PL, &RU, &AR];

/// The table of a language code (by the one subtag rule of [`crate::i18n::Lang`]); English for
/// any other.
pub fn of(lang: &str) -> &'static AlertWords {
    crate::i18n::Lang::from_tag(lang).unwrap_or_default().pick(ALL)
}

/// Whether `lang` is one of [`LANGS`] (an endpoint's `lang` must be).
pub fn is_alert_lang(lang: &str) -> bool {
    LANGS.contains(&lang)
}

impl AlertWords {
    /// The language code (`en`), for `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.page.lang.code()
    }

    /// `ltr` or `rtl`.
    pub fn dir(&self) -> &'static str {
        self.page.dir
    }
}

/// `template` with each `{name}` replaced by its value, in one pass (a value holding `{…}`
/// stays as it is). Values are put in as they are: the caller escapes the whole result for its
/// target.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let known = after.find('}').and_then(|end| {
            let name = &after[..end];
            values.iter().find(|(n, _)| *n == name).map(|(_, value)| (end, *value))
        });
        match known {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub const EN: AlertWords = AlertWords {
    page: &page_strings::EN,
    reported: "New failure on {site}",
    overdue: "Overdue failure on {site}",
    fixed: "Failure fixed on {site}",
    praise: "Praise on {site}",
    not_acknowledged: "Not acknowledged in time. Target: {target}. Time since it was reported: {age}.",
    not_fixed: "Not fixed in time. Target: {target}. Time since it was reported: {age}.",
    fixed_after: "Time to fix: {duration}.",
    rating_csat: "{rating} of 5 (satisfaction)",
    rating_nps: "{rating} of 10 (likelihood to recommend)",
    status: "Status",
    fix_note: "What was done",
    page_label: "Page",
    order: "Order",
    agent: "Agent",
    preferred_channel: "Preferred channel",
    channel_names: ["email", "phone"],
    assignee: "Assigned to",
    acknowledged_at: "Acknowledged",
    fixed_at: "Fixed",
    open_entry: "Open the entry",
    list_separator: ", ",
    reply_hint: "Reply to this email to write to the customer.",
    footer: "Sent by tellus for {site}. Change or remove this alert on your owner's pages, under Alerts.",
    test_comment: "This is a test alert from tellus. If you can read it, this endpoint works.",
};

pub const ET: AlertWords = AlertWords {
    page: &page_strings::ET,
    reported: "Uus ebaõnnestumine: {site}",
    overdue: "Ebaõnnestumine hilineb: {site}",
    fixed: "Ebaõnnestumine parandatud: {site}",
    praise: "Kiitus: {site}",
    not_acknowledged: "Pole õigel ajal kinnitatud. Eesmärk: {target}. Saabumisest möödas: {age}.",
    not_fixed: "Pole õigel ajal parandatud. Eesmärk: {target}. Saabumisest möödas: {age}.",
    fixed_after: "Parandamise aeg: {duration}.",
    rating_csat: "{rating} / 5 (rahulolu)",
    rating_nps: "{rating} / 10 (soovitamise tõenäosus)",
    status: "Olek",
    fix_note: "Mis tehti",
    page_label: "Leht",
    order: "Tellimus",
    agent: "Teenindaja",
    preferred_channel: "Eelistatud kanal",
    channel_names: ["e-post", "telefon"],
    assignee: "Vastutaja",
    acknowledged_at: "Kinnitatud",
    fixed_at: "Parandatud",
    open_entry: "Ava kirje",
    list_separator: ", ",
    reply_hint: "Kliendile kirjutamiseks vasta sellele kirjale.",
    footer: "Saatja: tellus ({site}). Muuda või eemalda see teavitus omaniku lehtedel jaotises „Teavitused“.",
    test_comment: "See on tellus'e testteade. Kui sa seda loed, see aadress töötab.",
};

pub const FI: AlertWords = AlertWords {
    page: &page_strings::FI,
    reported: "Uusi epäonnistuminen: {site}",
    overdue: "Epäonnistuminen myöhässä: {site}",
    fixed: "Epäonnistuminen korjattu: {site}",
    praise: "Kehu: {site}",
    not_acknowledged: "Ei kuitattu ajoissa. Tavoite: {target}. Ilmoituksesta kulunut: {age}.",
    not_fixed: "Ei korjattu ajoissa. Tavoite: {target}. Ilmoituksesta kulunut: {age}.",
    fixed_after: "Korjausaika: {duration}.",
    rating_csat: "{rating}/5 (tyytyväisyys)",
    rating_nps: "{rating}/10 (suositteluhalukkuus)",
    status: "Tila",
    fix_note: "Mitä tehtiin",
    page_label: "Sivu",
    order: "Tilaus",
    agent: "Asiakaspalvelija",
    preferred_channel: "Toivottu yhteystapa",
    channel_names: ["sähköposti", "puhelin"],
    assignee: "Vastuuhenkilö",
    acknowledged_at: "Kuitattu",
    fixed_at: "Korjattu",
    open_entry: "Avaa merkintä",
    list_separator: ", ",
    reply_hint: "Vastaa tähän viestiin kirjoittaaksesi asiakkaalle.",
    footer: "Lähettäjä: tellus ({site}). Muuta tai poista tämä hälytys omistajan sivuilla kohdassa Hälytykset.",
    test_comment: "Tämä on tellusin testihälytys. Jos luet tämän, tämä osoite toimii.",
};

pub const PL: AlertWords = AlertWords {
    page: &page_strings::PL,
    reported: "Nowa porażka: {site}",
    overdue: "Porażka po terminie: {site}",
    fixed: "Porażka naprawiona: {site}",
    praise: "Pochwała: {site}",
    not_acknowledged: "Nie potwierdzono na czas. Cel: {target}. Od zgłoszenia minęło: {age}.",
    not_fixed: "Nie naprawiono na czas. Cel: {target}. Od zgłoszenia minęło: {age}.",
    fixed_after: "Czas naprawy: {duration}.",
    rating_csat: "{rating} z 5 (zadowolenie)",
    rating_nps: "{rating} z 10 (skłonność do polecenia)",
    status: "Stan",
    fix_note: "Co zrobiono",
    page_label: "Strona",
    order: "Zamówienie",
    agent: "Konsultant",
    preferred_channel: "Preferowany kontakt",
    channel_names: ["e-mail", "telefon"],
    assignee: "Przypisano do",
    acknowledged_at: "Potwierdzono",
    fixed_at: "Naprawiono",
    open_entry: "Otwórz wpis",
    list_separator: ", ",
    reply_hint: "Odpowiedz na tę wiadomość, aby napisać do klienta.",
    footer: "Nadawca: tellus ({site}). Zmień lub usuń to powiadomienie na stronach właściciela, w zakładce Powiadomienia.",
    test_comment: "To jest testowe powiadomienie z tellus. Jeśli je czytasz, ten adres działa.",
};

pub const RU: AlertWords = AlertWords {
    page: &page_strings::RU,
    reported: "Новый сбой: {site}",
    overdue: "Сбой просрочен: {site}",
    fixed: "Сбой исправлен: {site}",
    praise: "Похвала: {site}",
    not_acknowledged: "Не подтверждён вовремя. Цель: {target}. С момента обращения прошло: {age}.",
    not_fixed: "Не исправлен вовремя. Цель: {target}. С момента обращения прошло: {age}.",
    fixed_after: "Время исправления: {duration}.",
    rating_csat: "{rating} из 5 (удовлетворённость)",
    rating_nps: "{rating} из 10 (готовность рекомендовать)",
    status: "Статус",
    fix_note: "Что сделано",
    page_label: "Страница",
    order: "Заказ",
    agent: "Сотрудник",
    preferred_channel: "Предпочтительная связь",
    channel_names: ["эл. почта", "телефон"],
    assignee: "Ответственный",
    acknowledged_at: "Подтверждён",
    fixed_at: "Исправлен",
    open_entry: "Открыть запись",
    list_separator: ", ",
    reply_hint: "Ответьте на это письмо, чтобы написать клиенту.",
    footer: "Отправитель: tellus ({site}). Изменить или удалить это оповещение можно на страницах владельца, в разделе «Оповещения».",
    test_comment: "Это тестовое оповещение от tellus. Если вы его читаете, этот адрес работает.",
};

pub const AR: AlertWords = AlertWords {
    page: &page_strings::AR,
    reported: "إخفاق جديد: {site}",
    overdue: "إخفاق متأخر: {site}",
    fixed: "تم إصلاح إخفاق: {site}",
    praise: "ثناء: {site}",
    not_acknowledged: "لم يتم الإقرار في الوقت المحدد. الهدف: {target}. الوقت منذ الإبلاغ: {age}.",
    not_fixed: "لم يتم الإصلاح في الوقت المحدد. الهدف: {target}. الوقت منذ الإبلاغ: {age}.",
    fixed_after: "مدة الإصلاح: {duration}.",
    rating_csat: "{rating} من 5 (الرضا)",
    rating_nps: "{rating} من 10 (احتمال التوصية)",
    status: "الحالة",
    fix_note: "ما تم فعله",
    page_label: "الصفحة",
    order: "الطلب",
    agent: "الموظف",
    preferred_channel: "وسيلة التواصل المفضلة",
    channel_names: ["البريد الإلكتروني", "الهاتف"],
    assignee: "مُسند إلى",
    acknowledged_at: "تم الإقرار",
    fixed_at: "تم الإصلاح",
    open_entry: "فتح الإدخال",
    list_separator: "، ",
    reply_hint: "رُدّ على هذه الرسالة للكتابة إلى العميل.",
    footer: "المُرسل: tellus ({site}). يمكنك تغيير هذا التنبيه أو إزالته في صفحات المالك، ضمن «التنبيهات».",
    test_comment: "هذا تنبيه تجريبي من tellus. إذا كنت تقرؤه، فهذه الوجهة تعمل.",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// A key's texts, as the table tests see them (the page table is checked by its own tests).
    pub(super) struct Texts;

    pub(super) trait AsTexts {
        fn texts(&self) -> Vec<&'static str>;
    }

    impl AsTexts for &'static str {
        fn texts(&self) -> Vec<&'static str> {
            vec![*self]
        }
    }

    impl<const N: usize> AsTexts for [&'static str; N] {
        fn texts(&self) -> Vec<&'static str> {
            self.to_vec()
        }
    }

    impl AsTexts for &'static PageStrings {
        fn texts(&self) -> Vec<&'static str> {
            vec![self.lang.code()]
        }
    }

    impl Texts {
        pub(super) fn of(value: &impl AsTexts) -> Vec<&'static str> {
            value.texts()
        }
    }

    /// The `{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .match_indices('{')
            .filter_map(|(start, _)| text[start..].find('}').map(|end| &text[start..=start + end]))
            .collect();
        found.sort_unstable();
        found
    }

    /// Every language has every key (the struct makes a missing one a compile error), none
    /// empty, each with English's placeholders, and each table points at the page table of its
    /// own language, in the order of [`LANGS`].
    #[test]
    fn every_table_is_complete_with_the_same_placeholders() {
        let english = EN.keyed();
        assert!(ALL.iter().map(|w| w.lang()).eq(LANGS), "the tables follow LANGS");
        for words in ALL {
            let keyed = words.keyed();
            assert!(keyed.iter().map(|(k, _)| k).eq(english.iter().map(|(k, _)| k)), "{}: same keys", words.lang());
            for ((key, texts), (_, english_texts)) in keyed.iter().zip(&english) {
                assert_eq!(texts.len(), english_texts.len(), "{} {key}", words.lang());
                for (text, english_text) in texts.iter().zip(english_texts) {
                    let blank = if *key == "list_separator" { text.is_empty() } else { text.trim().is_empty() };
                    assert!(!blank, "{} {key} is empty", words.lang());
                    assert_eq!(placeholders(text), placeholders(english_text), "{} {key}", words.lang());
                    assert!(!text.contains(|c: char| c.is_control()), "{} {key}", words.lang());
                }
            }
        }
        // The templates' placeholders are the ones the renderers fill.
        assert_eq!(placeholders(EN.reported), ["{site}"]);
        assert_eq!(placeholders(EN.not_fixed), ["{age}", "{target}"]);
        assert_eq!(placeholders(EN.fixed_after), ["{duration}"]);
        assert_eq!(placeholders(EN.rating_nps), ["{rating}"]);
        assert_eq!(placeholders(EN.footer), ["{site}"]);
    }

    #[test]
    fn a_language_code_selects_its_table_and_anything_else_english() {
        assert_eq!(of("fi").fixed, FI.fixed);
        assert_eq!(of("AR").dir(), "rtl");
        assert_eq!(of("de").lang(), "en");
        assert_eq!(of("").lang(), "en");
        assert!(is_alert_lang("pl") && !is_alert_lang("pl-PL") && !is_alert_lang("de"));
        assert_eq!(fill(EN.reported, &[("site", "Shop {site}")]), "New failure on Shop {site}");
        assert_eq!(fill("{a} {b} {c}", &[("a", "{b}"), ("b", "2")]), "{b} 2 {c}");
    }

    /// No key is dead weight: each is read by the story or a renderer.
    #[test]
    fn every_key_is_used() {
        let without_tests = |source: &'static str| source.split("#[cfg(test)]").next().unwrap_or_default();
        let readers = [
            without_tests(include_str!("story.rs")),
            without_tests(include_str!("render/mod.rs")),
            without_tests(include_str!("render/slack.rs")),
            without_tests(include_str!("render/discord.rs")),
            without_tests(include_str!("render/teams.rs")),
            without_tests(include_str!("render/telegram.rs")),
            without_tests(include_str!("render/email.rs")),
        ];
        let unused: Vec<&str> = EN
            .keyed()
            .into_iter()
            .map(|(key, _)| key)
            .filter(|key| !readers.iter().any(|source| source.contains(&format!("words.{key}"))))
            .collect();
        assert!(unused.is_empty(), "keys no code reads: {unused:?}");
    }
}
