//! Every word the widget's customer reads, one table per language, keyed by [`Text`]: the
//! translation tables of the feedback dialog, pure data and pure functions (no I/O).
//!
//! Six languages: English, Estonian, Finnish, Polish, Russian and Arabic (written right to left).
//! Each is a `[&str; COUNT]` table in [`Text`] order, so a table with a key too few or too many
//! does not compile; the tests below check that no entry is empty, that placeholders match
//! English, that the order follows the enum, and that every key is read by the widget's code.
//!
//! Only English is compiled into the widget's wasm (it names [`EN`] and nothing else here that
//! reaches the other tables). `cargo xtask build` writes every table with [`table_file`] to
//! `w/lang/{lang}.txt`, one string a line in [`Text`] order; the app fetches the one it needs
//! and takes it line by line, refusing a file with a line too few or too many (`install` in
//! `widget/src/strings.rs`). Calling [`table`] links all six tables, so the app never does.
//!
//! The app names its language by code (`&'static str`, one of [`LANGS`]) rather than by
//! [`Lang`]: the code is what it sends with an entry and puts in `lang` attributes. The rules
//! behind [`known_lang`], [`resolve_lang`] and [`is_rtl`] are [`Lang`]'s.
//!
//! Plural rules: no widget string contains a number yet, so the widget carries no plural rules.
//! When a counted string is needed, pick its form with [`super::plural::cardinal`], as the
//! summary page's strings do.

use super::Lang;

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
    /// The server failed, or answered with something the widget could not read.
    Unexpected,
    /// The server refused because the site does not take feedback from this page (its origin
    /// is not allowed, or the site is unknown): nothing the customer can fix, so no blame.
    NotSetUp,
    /// The server refused because of too many tries from this connection in a short time.
    TooMany,
    /// The button that retries after a failure.
    TryAgain,
    /// The network failed; the entry is kept in the browser and sent on a later visit.
    Queued,
    /// Heading of the path that tells the owner.
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
    /// Heading and hint of the path that tells others, the same for every rating. Neutral: no
    /// incentive, no suggested rating.
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
pub const COUNT: usize = 50;

/// The codes of the languages with a table ([`Lang::ALL`]'s); the first is the fallback.
pub const LANGS: [&str; 6] = {
    let mut codes = [""; 6];
    let mut i = 0;
    while i < codes.len() {
        codes[i] = Lang::ALL[i].code();
        i += 1;
    }
    codes
};

/// Every key, in declaration order (the tests check the order against the enum).
pub const ALL: [Text; COUNT] = {
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
        NotSetUp,
        TooMany,
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

/// The table of the language a tag names (English for a language without one). For the xtask
/// and the tests: the app must not call it, or all six tables end up in its wasm.
pub fn table(lang: &str) -> &'static [&'static str; COUNT] {
    Lang::from_tag(lang).unwrap_or_default().pick([&EN, &ET, &FI, &PL, &RU, &AR])
}

/// The file the xtask writes for `lang`'s table (`w/lang/{lang}.txt`): one string a line.
pub fn table_file(lang: &str) -> String {
    table(lang).join("\n")
}

/// The code of the language `tag` names ([`Lang::from_tag`]): `"pt-BR"` → `None`,
/// `"AR_eg"` → `Some("ar")`. It compares in place rather than lower-casing a copy: the widget
/// calls it on every string it draws.
pub fn known_lang(tag: &str) -> Option<&'static str> {
    Lang::from_tag(tag).map(Lang::code)
}

/// The language to speak: the first of `preferences` (the host's `data-lang`, then the
/// browser's `navigator.languages`) that has a table, else English.
pub fn resolve_lang<'a>(preferences: impl IntoIterator<Item = &'a str>) -> &'static str {
    preferences.into_iter().find_map(known_lang).unwrap_or(LANGS[0])
}

/// Whether the language `lang` names is written right to left ([`Lang::is_rtl`]).
pub fn is_rtl(lang: &str) -> bool {
    Lang::from_tag(lang).is_some_and(Lang::is_rtl)
}

#[rustfmt::skip]
pub const EN: [&str; COUNT] = [
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
    "This page is not set up to send feedback yet; nothing was sent.",
    "Too many tries in a short time. Please wait a minute and try again.",
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

#[rustfmt::skip]
pub const ET: [&str; COUNT] = [
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
    "See leht pole veel tagasiside saatmiseks seadistatud; midagi ei saadetud.",
    "Liiga palju katseid lühikese aja jooksul. Palun oodake minut ja proovige uuesti.",
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

#[rustfmt::skip]
pub const FI: [&str; COUNT] = [
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
    "Tätä sivua ei ole vielä määritetty lähettämään palautetta; mitään ei lähetetty.",
    "Liian monta yritystä lyhyessä ajassa. Odota minuutti ja yritä uudelleen.",
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

#[rustfmt::skip]
pub const PL: [&str; COUNT] = [
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
    "Ta strona nie jest jeszcze skonfigurowana do wysyłania opinii; nic nie zostało wysłane.",
    "Zbyt wiele prób w krótkim czasie. Odczekaj minutę i spróbuj ponownie.",
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

#[rustfmt::skip]
pub const RU: [&str; COUNT] = [
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
    "Эта страница ещё не настроена для отправки отзывов; ничего не отправлено.",
    "Слишком много попыток за короткое время. Подождите минуту и попробуйте ещё раз.",
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

#[rustfmt::skip]
pub const AR: [&str; COUNT] = [
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
    "هذه الصفحة غير مهيّأة لإرسال الملاحظات بعد؛ لم يُرسَل أي شيء.",
    "محاولات كثيرة في وقت قصير. يُرجى الانتظار دقيقة ثم المحاولة مرة أخرى.",
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

/// The Close button's glyph; its accessible name is [`Text::Close`].
pub const CLOSE_GLYPH: &str = "×";

/// Faces shown above the CSAT labels, 1 to 5. Decoration only (hidden from screen readers):
/// the words carry the meaning.
pub const CSAT_FACES: [&str; 5] = ["😞", "😕", "😐", "😊", "😄"];

#[cfg(test)]
mod tests {
    use super::*;

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
            | NotSetUp
            | TooMany
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
                let translated = table(lang)[key as usize];
                let english = EN[key as usize];
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

    /// The widget's source files (`widget/src/**/*.rs`), each without its test module.
    fn widget_sources() -> Vec<(std::path::PathBuf, String)> {
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../widget/src")];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
                let path = entry.unwrap_or_else(|err| panic!("{}: {err}", dir.display())).path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|ext| ext == "rs") {
                    let source =
                        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
                    let code = source.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
                    files.push((path, code));
                }
            }
        }
        files
    }

    /// No unused keys: every [`Text`] is named as `Text::Key` by the widget's own (non-test) code,
    /// so a string nobody reads cannot linger in six languages.
    #[test]
    fn every_key_is_read_by_the_widget() {
        let sources = widget_sources();
        assert!(sources.iter().any(|(path, _)| path.ends_with("strings.rs")), "widget/src not found");
        for key in ALL {
            let name = format!("Text::{key:?}");
            let used = sources.iter().any(|(_, code)| {
                code.match_indices(&name).any(|(at, _)| {
                    !code[at + name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                })
            });
            assert!(used, "{name} is in every table but no widget code reads it");
        }
    }

    /// What the xtask writes is what the app takes: one line per key, no string with a line
    /// break of its own. (The app's refusal of a file with a line missing or extra is tested in
    /// `widget/src/strings.rs`.)
    #[test]
    fn a_table_file_round_trips_and_a_short_one_is_refused() {
        for lang in LANGS {
            for key in ALL {
                assert!(!table(lang)[key as usize].contains(['\n', '\r']), "{lang}: {key:?} has a line break");
            }
            let file = table_file(lang);
            assert_eq!(file.lines().collect::<Vec<_>>(), table(lang), "{lang}");
        }
    }

    #[test]
    fn the_language_comes_from_the_first_preference_with_a_table() {
        assert_eq!(resolve_lang(["et-EE"]), "et");
        assert_eq!(resolve_lang(["de-DE", "fi", "en"]), "fi");
        assert_eq!(resolve_lang(["AR_eg"]), "ar");
        assert_eq!(resolve_lang(["de", "fr"]), "en");
        assert_eq!(resolve_lang([""]), "en");
        assert_eq!(resolve_lang(Vec::<&str>::new()), "en");
        assert!(is_rtl("ar-SA") && is_rtl(" AR") && !is_rtl("ru") && !is_rtl("arn"));
        assert_eq!(known_lang("pt-BR"), None);
        assert_eq!(known_lang("Ru_ru"), Some("ru"));
        assert_eq!(table("zz")[Text::Send as usize], "Send");
        assert_eq!(table("pl-PL")[Text::Send as usize], "Wyślij");
        assert_eq!(fill("{a} {b} {a", &[("a", "1")]), "1 {b} {a");
    }
}
