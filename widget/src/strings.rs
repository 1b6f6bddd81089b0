//! Every word the customer reads, in one table keyed by [`Text`], so a translation is one more
//! table and a test can check that no key is missing.
//!
//! Components never contain literal UI strings: they call [`text`] with the language they were
//! mounted with. Six languages: English, Estonian, Finnish, Polish, Russian and Arabic (written
//! right to left). Each is a `[&str; COUNT]` table in [`Text`] order: a table with a key too few
//! or too many does not compile, and the tests below check that no entry is empty, that
//! placeholders match English and that the order follows the enum.
//!
//! Plural rules: no widget string contains a number yet, so the widget carries no plural rules
//! at all (a CLDR crate such as `intl_pluralrules` would cost kilobytes of wasm for nothing).
//! When a counted string is needed, it belongs in `core` next to the summary page's strings.
//!
//! Only English is compiled into the app. The other tables are compiled natively (for the tests
//! here, and for `cargo xtask build`, which includes this file and writes each table as
//! `w/lang/{lang}.txt`, one string a line in [`Text`] order); the app fetches the one table it
//! needs before it first draws (see [`install`]), so a customer downloads one language, not six
//! (about 4.7 KB of brotli less in the app). Until a table arrives, or if it never does, the
//! dialog speaks English. This file must stay free of imports from other crates for the xtask.

use std::cell::Cell;

/// One user-visible string; its discriminant is its index in every language's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// Dialog title when the site's name is not known yet.
    Title,
    /// Accessible name of the close button.
    Close,
    /// Shown while the site's configuration loads.
    Loading,
    /// The CSAT question.
    QuestionCsat,
    /// The NPS question.
    QuestionNps,
    /// CSAT rating labels, 1 to 5.
    Csat1,
    Csat2,
    Csat3,
    Csat4,
    Csat5,
    /// Ends of the NPS scale.
    NpsLow,
    NpsHigh,
    /// Label of the free-text field.
    CommentLabel,
    /// The submit button, idle and busy.
    Send,
    Sending,
    /// Shown when the customer presses Send before choosing a rating.
    ChooseRating,
    /// Shown only after the server confirmed the entry.
    Thanks,
    /// The network request never got an answer.
    Unreachable,
    /// The server answered with something the widget could not read.
    Unexpected,
    /// The button that retries after a failure.
    TryAgain,
    /// The network failed; the entry is kept in the browser and sent on a later visit.
    Queued,
    /// Heading of the path that tells the owner (emphasised after a low rating).
    TellUs,
    /// The SERVQUAL question, and its five answers in plain words.
    WhatWentWrong,
    DimensionReliability,
    DimensionResponsiveness,
    DimensionAssurance,
    DimensionEmpathy,
    DimensionTangibles,
    /// The optional callback request, behind an explicit consent checkbox.
    ContactLegend,
    Consent,
    Name,
    Email,
    Phone,
    PreferredChannel,
    /// Heading and hint of the path that tells others (emphasised after a high rating). Neutral:
    /// no incentive, no suggested rating.
    TellOthers,
    TellOthersHint,
    Share,
    CopyLink,
    /// Shown after the Worker counted a tell-others click.
    Shared,
    /// Return visit: heading, the status of the earlier failure, the owner's reply.
    NewsTitle,
    NewsOpen,
    NewsAcknowledged,
    NewsFixed,
    ReplyLabel,
    /// Asked once the owner marked the failure fixed.
    RerateQuestion,
    Rerated,
    /// Accessible name of the launcher while it shows the news badge.
    LauncherNews,
    /// Accessible name of a rating option: its place on the scale (`{value}`, `{max}`), then
    /// (CSAT) its word.
    RatingOf,
}

/// How many strings there are: the length of every language's table.
pub const COUNT: usize = 48;

/// Languages with a table, by primary subtag; the first is the fallback.
pub const LANGS: [&str; 6] = ["en", "et", "fi", "pl", "ru", "ar"];

/// The string for `key` in `lang` (a language code from [`resolve_lang`], or any BCP 47 tag:
/// only the primary subtag counts), falling back to English.
pub fn text(lang: &str, key: Text) -> &'static str {
    // `key as usize` is always in bounds (the tables have one entry per key); `get` keeps even a
    // mistake from panicking in the customer's dialog.
    table(lang).get(key as usize).copied().unwrap_or_default()
}

thread_local! {
    /// The one fetched table (a page speaks one language) with its language, once [`install`]ed.
    static FETCHED: Cell<Option<(&'static str, &'static [&'static str])>> = const { Cell::new(None) };
}

fn table(lang: &str) -> &'static [&'static str] {
    let lang = primary(lang);
    if let Some(table) = compiled(&lang) {
        return table;
    }
    match FETCHED.with(Cell::get) {
        Some((of, table)) if of == lang => table,
        _ => &EN,
    }
}

/// The tables compiled into this build: English everywhere, every language natively.
fn compiled(primary: &str) -> Option<&'static [&'static str]> {
    match primary {
        "en" => Some(&EN),
        #[cfg(not(target_arch = "wasm32"))]
        "et" => Some(&ET),
        #[cfg(not(target_arch = "wasm32"))]
        "fi" => Some(&FI),
        #[cfg(not(target_arch = "wasm32"))]
        "pl" => Some(&PL),
        #[cfg(not(target_arch = "wasm32"))]
        "ru" => Some(&RU),
        #[cfg(not(target_arch = "wasm32"))]
        "ar" => Some(&AR),
        _ => None,
    }
}

/// Whether `lang` (one of [`LANGS`]) still needs its table fetched before the dialog can speak it.
pub fn missing(lang: &str) -> bool {
    let lang = primary(lang);
    compiled(&lang).is_none() && FETCHED.with(Cell::get).is_none_or(|(of, _)| of != lang)
}

/// Takes the fetched table of `lang`: the text of `w/lang/{lang}.txt`, one string a line. A
/// table with a line too few or too many is refused (the dialog stays English) rather than
/// showing strings against the wrong keys. Returns whether it was taken.
pub fn install(lang: &str, text: String) -> bool {
    let primary = primary(lang);
    let Some(lang) = LANGS.into_iter().find(|known| *known == primary) else {
        return false;
    };
    // Kept for the life of the page, like the compiled tables: one table, fetched once.
    let table: Vec<&'static str> = String::leak(text).lines().collect();
    if table.len() != COUNT {
        return false;
    }
    FETCHED.with(|fetched| fetched.set(Some((lang, Vec::leak(table)))));
    true
}

/// The file the xtask writes for `lang`'s table, and [`install`] reads: one string a line.
/// Only the xtask (which includes this file) and the tests call it.
#[cfg(not(target_arch = "wasm32"))]
#[allow(dead_code)]
pub fn table_file(lang: &str) -> String {
    table(lang).join("\n")
}

/// The primary subtag, lower-case: `"pt-BR"` → `"pt"`.
fn primary(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// The language to speak: the first of `preferences` (the host's `data-lang`, then the
/// browser's `navigator.languages`) that has a table, else English.
pub fn resolve_lang<'a>(preferences: impl IntoIterator<Item = &'a str>) -> &'static str {
    preferences
        .into_iter()
        .find_map(|tag| {
            let primary = primary(tag);
            LANGS.into_iter().find(|lang| *lang == primary)
        })
        .unwrap_or(LANGS[0])
}

/// Whether `lang` is written right to left (of ours, Arabic).
pub fn is_rtl(lang: &str) -> bool {
    primary(lang) == "ar"
}

#[rustfmt::skip]
const EN: [&str; COUNT] = [
    "Feedback",
    "Close",
    "Loading…",
    "How was your experience?",
    "How likely are you to recommend us to a friend or colleague?",
    "Very bad",
    "Bad",
    "Okay",
    "Good",
    "Very good",
    "0 = not at all likely",
    "10 = extremely likely",
    "Anything you would like to tell us? (optional)",
    "Send",
    "Sending…",
    "Please choose a rating first.",
    "Thank you! Your feedback has been sent.",
    "We could not reach the server. Check your connection and try again; nothing was sent.",
    "Something went wrong on our side. Please try again in a moment.",
    "Try again",
    "Saved — we'll send it when you're back online.",
    "Tell us",
    "What went wrong? (choose any)",
    "It didn't work as promised",
    "Too slow, or no answer",
    "Staff didn't know, or weren't courteous",
    "Nobody cared about my situation",
    "The place, site or materials",
    "Would you like us to get back to you? (optional)",
    "Yes, you may contact me about this feedback",
    "Name",
    "Email",
    "Phone",
    "Preferred way to reach you",
    "Tell others",
    "If you like, share your experience where others can read it:",
    "Share…",
    "Copy link",
    "Thank you for telling others.",
    "About your earlier feedback",
    "We have your feedback.",
    "We have seen your feedback and are working on it.",
    "We have fixed what you told us about.",
    "Our reply:",
    "We fixed it — how are we doing now?",
    "Thank you for rating us again.",
    "Feedback: there is news about your earlier feedback",
    "{value} of {max}",
];

#[cfg(not(target_arch = "wasm32"))]
#[rustfmt::skip]
const ET: [&str; COUNT] = [
    "Tagasiside",
    "Sulge",
    "Laadin…",
    "Kuidas jäite rahule?",
    "Kui tõenäoliselt soovitaksite meid sõbrale või kolleegile?",
    "Väga halb",
    "Halb",
    "Rahuldav",
    "Hea",
    "Väga hea",
    "0 = üldse mitte",
    "10 = väga tõenäoliselt",
    "Kas soovite meile veel midagi öelda? (valikuline)",
    "Saada",
    "Saadan…",
    "Palun valige kõigepealt hinnang.",
    "Aitäh! Teie tagasiside on saadetud.",
    "Serveriga ei õnnestunud ühendust saada. Kontrollige internetiühendust ja proovige uuesti; midagi ei saadetud.",
    "Meie poolel läks midagi valesti. Palun proovige hetke pärast uuesti.",
    "Proovi uuesti",
    "Salvestatud — saadame selle ära, kui olete jälle võrgus.",
    "Andke meile teada",
    "Mis läks valesti? (valige kõik sobivad)",
    "See ei toiminud nii, nagu lubati",
    "Liiga aeglane või vastust ei tulnudki",
    "Töötajad ei teadnud või polnud viisakad",
    "Minu olukorrast ei hoolinud keegi",
    "Koht, veebileht või materjalid",
    "Kas soovite, et võtaksime teiega ühendust? (valikuline)",
    "Jah, selle tagasiside asjus võib minuga ühendust võtta",
    "Nimi",
    "E-post",
    "Telefon",
    "Eelistatud suhtlusviis",
    "Rääkige teistele",
    "Soovi korral jagage oma kogemust seal, kus teised seda lugeda saavad:",
    "Jaga…",
    "Kopeeri link",
    "Aitäh, et teistele rääkisite.",
    "Teie varasema tagasiside kohta",
    "Oleme teie tagasiside kätte saanud.",
    "Oleme teie tagasisidet näinud ja tegeleme sellega.",
    "Oleme parandanud selle, millest teada andsite.",
    "Meie vastus:",
    "Parandasime selle — kuidas meil nüüd läheb?",
    "Aitäh, et meid uuesti hindasite.",
    "Tagasiside: teie varasema tagasiside kohta on uudiseid",
    "{value} palli {max}-st",
];

#[cfg(not(target_arch = "wasm32"))]
#[rustfmt::skip]
const FI: [&str; COUNT] = [
    "Palaute",
    "Sulje",
    "Ladataan…",
    "Millainen kokemuksesi oli?",
    "Kuinka todennäköisesti suosittelisit meitä ystävälle tai kollegalle?",
    "Erittäin huono",
    "Huono",
    "Kohtalainen",
    "Hyvä",
    "Erittäin hyvä",
    "0 = en lainkaan todennäköisesti",
    "10 = erittäin todennäköisesti",
    "Haluatko kertoa meille jotain? (vapaaehtoinen)",
    "Lähetä",
    "Lähetetään…",
    "Valitse ensin arvio.",
    "Kiitos! Palautteesi on lähetetty.",
    "Palvelimeen ei saatu yhteyttä. Tarkista verkkoyhteys ja yritä uudelleen; mitään ei lähetetty.",
    "Jokin meni vikaan meidän päässämme. Yritä hetken päästä uudelleen.",
    "Yritä uudelleen",
    "Tallennettu — lähetämme sen, kun olet taas verkossa.",
    "Kerro meille",
    "Mikä meni vikaan? (valitse kaikki sopivat)",
    "Se ei toiminut niin kuin luvattiin",
    "Liian hidasta, tai vastausta ei tullut",
    "Henkilökunta ei tiennyt tai ei ollut kohtelias",
    "Kukaan ei välittänyt tilanteestani",
    "Paikka, sivusto tai materiaalit",
    "Haluatko, että otamme sinuun yhteyttä? (vapaaehtoinen)",
    "Kyllä, minuun saa ottaa yhteyttä tästä palautteesta",
    "Nimi",
    "Sähköposti",
    "Puhelin",
    "Toivottu yhteydenottotapa",
    "Kerro muille",
    "Halutessasi voit jakaa kokemuksesi paikassa, jossa muut voivat lukea sen:",
    "Jaa…",
    "Kopioi linkki",
    "Kiitos, että kerroit muille.",
    "Aiemmasta palautteestasi",
    "Olemme saaneet palautteesi.",
    "Olemme nähneet palautteesi ja työstämme asiaa.",
    "Olemme korjanneet sen, mistä kerroit.",
    "Vastauksemme:",
    "Korjasimme sen — miten onnistumme nyt?",
    "Kiitos, että arvioit meidät uudelleen.",
    "Palaute: aiemmasta palautteestasi on uutisia",
    "{value}/{max}",
];

#[cfg(not(target_arch = "wasm32"))]
#[rustfmt::skip]
const PL: [&str; COUNT] = [
    "Opinia",
    "Zamknij",
    "Wczytywanie…",
    "Jak oceniasz swoje doświadczenie?",
    "Jak bardzo prawdopodobne jest, że polecisz nas znajomemu lub współpracownikowi?",
    "Bardzo źle",
    "Źle",
    "Przeciętnie",
    "Dobrze",
    "Bardzo dobrze",
    "0 = zupełnie nieprawdopodobne",
    "10 = bardzo prawdopodobne",
    "Chcesz nam coś przekazać? (opcjonalnie)",
    "Wyślij",
    "Wysyłanie…",
    "Najpierw wybierz ocenę.",
    "Dziękujemy! Twoja opinia została wysłana.",
    "Nie udało się połączyć z serwerem. Sprawdź połączenie i spróbuj ponownie; nic nie zostało wysłane.",
    "Coś poszło nie tak po naszej stronie. Spróbuj ponownie za chwilę.",
    "Spróbuj ponownie",
    "Zapisano — wyślemy, gdy znów będziesz online.",
    "Powiedz nam",
    "Co poszło nie tak? (zaznacz dowolne)",
    "Nie działało tak, jak obiecano",
    "Za wolno albo bez odpowiedzi",
    "Obsługa nie wiedziała albo była nieuprzejma",
    "Nikogo nie obchodziła moja sytuacja",
    "Miejsce, strona lub materiały",
    "Czy chcesz, żebyśmy się z Tobą skontaktowali? (opcjonalnie)",
    "Tak, możecie się ze mną skontaktować w sprawie tej opinii",
    "Imię i nazwisko",
    "E-mail",
    "Telefon",
    "Preferowany sposób kontaktu",
    "Powiedz innym",
    "Jeśli chcesz, podziel się swoim doświadczeniem tam, gdzie inni mogą je przeczytać:",
    "Udostępnij…",
    "Kopiuj link",
    "Dziękujemy za podzielenie się opinią z innymi.",
    "W sprawie Twojej wcześniejszej opinii",
    "Otrzymaliśmy Twoją opinię.",
    "Zapoznaliśmy się z Twoją opinią i pracujemy nad tym.",
    "Naprawiliśmy to, co nam zgłoszono.",
    "Nasza odpowiedź:",
    "Naprawiliśmy to — jak oceniasz nas teraz?",
    "Dziękujemy za ponowną ocenę.",
    "Opinia: są nowe informacje w sprawie Twojej wcześniejszej opinii",
    "{value} z {max}",
];

#[cfg(not(target_arch = "wasm32"))]
#[rustfmt::skip]
const RU: [&str; COUNT] = [
    "Отзыв",
    "Закрыть",
    "Загрузка…",
    "Насколько вы довольны?",
    "Насколько вероятно, что вы порекомендуете нас другу или коллеге?",
    "Очень плохо",
    "Плохо",
    "Нормально",
    "Хорошо",
    "Отлично",
    "0 = точно не порекомендую",
    "10 = обязательно порекомендую",
    "Хотите что-нибудь нам сказать? (необязательно)",
    "Отправить",
    "Отправляем…",
    "Сначала выберите оценку.",
    "Спасибо! Ваш отзыв отправлен.",
    "Не удалось связаться с сервером. Проверьте подключение и попробуйте ещё раз; ничего не отправлено.",
    "У нас что-то пошло не так. Попробуйте ещё раз через минуту.",
    "Попробовать ещё раз",
    "Сохранено — отправим, когда вы снова будете в сети.",
    "Расскажите нам",
    "Что пошло не так? (можно выбрать несколько)",
    "Не сработало так, как обещали",
    "Слишком долго или без ответа",
    "Сотрудники не знали или были невежливы",
    "Никому не было дела до моей ситуации",
    "Помещение, сайт или материалы",
    "Хотите, чтобы мы с вами связались? (необязательно)",
    "Да, со мной можно связаться по поводу этого отзыва",
    "Имя",
    "Эл. почта",
    "Телефон",
    "Как с вами лучше связаться",
    "Расскажите другим",
    "Если хотите, поделитесь впечатлениями там, где их прочтут другие:",
    "Поделиться…",
    "Скопировать ссылку",
    "Спасибо, что рассказали другим.",
    "О вашем прошлом отзыве",
    "Мы получили ваш отзыв.",
    "Мы прочитали ваш отзыв и уже работаем над этим.",
    "Мы исправили то, о чём вы нам сообщили.",
    "Наш ответ:",
    "Мы всё исправили — как вам теперь?",
    "Спасибо за новую оценку.",
    "Отзыв: есть новости по вашему прошлому отзыву",
    "{value} из {max}",
];

#[cfg(not(target_arch = "wasm32"))]
#[rustfmt::skip]
const AR: [&str; COUNT] = [
    "ملاحظاتك",
    "إغلاق",
    "جارٍ التحميل…",
    "كيف كانت تجربتك؟",
    "ما مدى احتمال أن توصي بنا لصديق أو زميل؟",
    "سيئة جدًا",
    "سيئة",
    "مقبولة",
    "جيدة",
    "ممتازة",
    "0 = غير محتمل إطلاقًا",
    "10 = محتمل جدًا",
    "هل تودّ أن تخبرنا بشيء؟ (اختياري)",
    "إرسال",
    "جارٍ الإرسال…",
    "يُرجى اختيار تقييم أولًا.",
    "شكرًا لك! تم إرسال ملاحظاتك.",
    "تعذّر الوصول إلى الخادم. تحقّق من اتصالك وحاول مرة أخرى؛ لم يُرسَل أي شيء.",
    "حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى بعد قليل.",
    "حاول مرة أخرى",
    "تم الحفظ — سنرسلها عندما تعود متصلًا بالإنترنت.",
    "أخبرنا",
    "ما الذي لم يكن على ما يرام؟ (اختر ما ينطبق)",
    "لم يعمل كما وُعدت",
    "بطء شديد أو لا رد",
    "الموظفون لم يعرفوا أو لم يكونوا مهذبين",
    "لم يهتم أحد بوضعي",
    "المكان أو الموقع أو المواد",
    "هل تودّ أن نتواصل معك؟ (اختياري)",
    "نعم، يمكنكم التواصل معي بشأن هذه الملاحظات",
    "الاسم",
    "البريد الإلكتروني",
    "الهاتف",
    "طريقة التواصل المفضّلة",
    "أخبر الآخرين",
    "إن شئت، شارك تجربتك حيث يمكن للآخرين قراءتها:",
    "مشاركة…",
    "نسخ الرابط",
    "شكرًا لمشاركة تجربتك مع الآخرين.",
    "بخصوص ملاحظاتك السابقة",
    "وصلتنا ملاحظاتك.",
    "اطّلعنا على ملاحظاتك ونعمل على معالجتها.",
    "أصلحنا ما أخبرتنا به.",
    "ردّنا:",
    "أصلحنا المشكلة — كيف ترى أداءنا الآن؟",
    "شكرًا لتقييمك لنا مرة أخرى.",
    "ملاحظاتك: هناك مستجدات بشأن ملاحظاتك السابقة",
    "{value} من {max}",
];

/// `template` with each `{name}` replaced by its value (names not in `values` stay as they are).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    // By hand rather than `str::replace`, whose substring searcher costs about a kilobyte of wasm.
    let mut out = String::new();
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let Some((name, tail)) = after.split_once('}') else {
            out.push('{');
            rest = after;
            continue;
        };
        match values.iter().find(|(candidate, _)| *candidate == name) {
            Some((_, value)) => out.push_str(value),
            None => out.extend(["{", name, "}"]),
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The accessible name of rating `value` on a scale up to `max`: "4 of 5, Good" (CSAT) or
/// "7 of 10" (NPS). The visible word or number is part of it, as WCAG's label-in-name asks.
pub fn rating_name(lang: &str, value: u8, max: u8, word: Option<&str>) -> String {
    let place = fill(text(lang, Text::RatingOf), &[("value", &value.to_string()), ("max", &max.to_string())]);
    match word {
        Some(word) => [place.as_str(), ", ", word].concat(),
        None => place,
    }
}

/// The Close button's glyph; its accessible name is [`Text::Close`].
pub const CLOSE_GLYPH: &str = "×";

/// Faces shown above the CSAT labels, 1 to 5. Decoration only (hidden from screen readers):
/// the words carry the meaning.
pub const CSAT_FACES: [&str; 5] = ["😞", "😕", "😐", "😊", "😄"];

/// The visible label of a CSAT rating (1–5).
pub fn csat_label(lang: &str, rating: u8) -> &'static str {
    let key = match rating {
        1 => Text::Csat1,
        2 => Text::Csat2,
        3 => Text::Csat3,
        4 => Text::Csat4,
        _ => Text::Csat5,
    };
    text(lang, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key, in declaration order. The match makes adding a variant without listing it
    /// here a compile error, so the tests below see every key.
    const ALL: [Text; COUNT] = {
        use Text::*;
        [
            Title,
            Close,
            Loading,
            QuestionCsat,
            QuestionNps,
            Csat1,
            Csat2,
            Csat3,
            Csat4,
            Csat5,
            NpsLow,
            NpsHigh,
            CommentLabel,
            Send,
            Sending,
            ChooseRating,
            Thanks,
            Unreachable,
            Unexpected,
            TryAgain,
            Queued,
            TellUs,
            WhatWentWrong,
            DimensionReliability,
            DimensionResponsiveness,
            DimensionAssurance,
            DimensionEmpathy,
            DimensionTangibles,
            ContactLegend,
            Consent,
            Name,
            Email,
            Phone,
            PreferredChannel,
            TellOthers,
            TellOthersHint,
            Share,
            CopyLink,
            Shared,
            NewsTitle,
            NewsOpen,
            NewsAcknowledged,
            NewsFixed,
            ReplyLabel,
            RerateQuestion,
            Rerated,
            LauncherNews,
            RatingOf,
        ]
    };

    fn exhaustive(key: Text) -> usize {
        use Text::*;
        match key {
            Title
            | Close
            | Loading
            | QuestionCsat
            | QuestionNps
            | Csat1
            | Csat2
            | Csat3
            | Csat4
            | Csat5
            | NpsLow
            | NpsHigh
            | CommentLabel
            | Send
            | Sending
            | ChooseRating
            | Thanks
            | Unreachable
            | Unexpected
            | TryAgain
            | Queued
            | TellUs
            | WhatWentWrong
            | DimensionReliability
            | DimensionResponsiveness
            | DimensionAssurance
            | DimensionEmpathy
            | DimensionTangibles
            | ContactLegend
            | Consent
            | Name
            | Email
            | Phone
            | PreferredChannel
            | TellOthers
            | TellOthersHint
            | Share
            | CopyLink
            | Shared
            | NewsTitle
            | NewsOpen
            | NewsAcknowledged
            | NewsFixed
            | ReplyLabel
            | RerateQuestion
            | Rerated
            | LauncherNews
            | RatingOf => key as usize,
        }
    }

    /// `{name}` placeholders and the numbers of a string, sorted: both must survive translation.
    fn placeholders(text: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open..];
            let close = after.find('}').map_or(after.len(), |close| close + 1);
            found.push(after[..close].to_owned());
            rest = &after[close..];
        }
        found.extend(text.split(|c: char| !c.is_ascii_digit()).filter(|digits| !digits.is_empty()).map(str::to_owned));
        found.sort();
        found
    }

    #[test]
    fn every_key_is_listed_once_in_table_order() {
        for (index, key) in ALL.iter().enumerate() {
            assert_eq!(exhaustive(*key), index, "{key:?} is out of order");
        }
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        for lang in LANGS {
            assert_eq!(resolve_lang([lang]), lang);
            for key in ALL {
                let translated = text(lang, key);
                let english = text("en", key);
                assert!(!translated.trim().is_empty(), "{lang}: {key:?} is missing");
                assert_eq!(placeholders(translated), placeholders(english), "{lang}: {key:?} placeholders differ");
                if lang != "en" && !matches!(key, Text::Phone) {
                    // Only a word that is the same in both may stay English; a copied sentence
                    // means the translation was forgotten.
                    assert!(translated != english || translated.len() < 8, "{lang}: {key:?} is still English");
                }
            }
        }
    }

    /// What the xtask writes is what the app takes: one line per key, no string with a line
    /// break of its own, and a file with a line missing is refused.
    #[test]
    fn a_table_file_round_trips_and_a_short_one_is_refused() {
        for lang in LANGS {
            for key in ALL {
                assert!(!text(lang, key).contains(['\n', '\r']), "{lang}: {key:?} has a line break");
            }
            assert_eq!(table_file(lang).lines().count(), COUNT, "{lang}");
        }
        assert!(!missing("en-GB") && !missing("ar"), "natively every table is compiled in");
        assert!(install("ar-EG", table_file("ar")));
        assert_eq!(
            FETCHED.with(Cell::get).map(|(lang, table)| (lang, table[0])),
            Some(("ar", text("ar", Text::Title)))
        );
        let short = table_file("fi").lines().skip(1).collect::<Vec<_>>().join("\n");
        assert!(!install("fi", short));
        assert!(!install("de", table_file("fi")));
    }

    #[test]
    fn the_language_comes_from_the_first_preference_with_a_table() {
        assert_eq!(resolve_lang(["et-EE"]), "et");
        assert_eq!(resolve_lang(["de-DE", "fi", "en"]), "fi");
        assert_eq!(resolve_lang(["AR_eg"]), "ar");
        assert_eq!(resolve_lang(["de", "fr"]), "en");
        assert_eq!(resolve_lang([""]), "en");
        assert_eq!(resolve_lang(Vec::<&str>::new()), "en");
        assert!(is_rtl("ar-SA") && !is_rtl("ru"));
        assert_eq!(text("zz", Text::Send), "Send");
        assert_eq!(text("pl-PL", Text::Send), "Wyślij");
        assert_eq!(rating_name("en", 4, 5, Some("Good")), "4 of 5, Good");
        assert_eq!(rating_name("ru", 7, 10, None), "7 из 10");
        assert_eq!(fill("{a} {b} {a", &[("a", "1")]), "1 {b} {a");
    }
}
