//! Every word of the owner's summary page, per language, and the choice of language from the
//! browser's `Accept-Language`.
//!
//! A language is one [`PageStrings`] value: the compiler refuses a table with a missing string,
//! so a language is either complete or absent. The six languages are the widget's: English (the
//! default), Estonian, Finnish, Polish, Russian and Arabic (right to left).
//!
//! Phrases with a number in them are [`Counted`]: one form per CLDR plural category the language
//! has ([`super::plural`]), so Russian says "1 день", "2 дня", "5 дней" and Arabic uses all six
//! forms. Numbers inside them are written the language's way ([`super::locale`]). The tests below
//! check the tables: every key in every language and none empty, every key used by the page,
//! the same placeholders as English, and exactly the plural forms each language needs.

use super::Lang;
use super::locale::{self, Locale};
use super::plural::{self, Category::*};

/// A counted phrase: its form for each plural category of the language, `{n}` standing for the
/// number. A form whose category holds one number only (English `one` is 1, Arabic `two` is 2)
/// may leave the number out ("Last day", "يومان").
#[derive(Debug, Clone, Copy)]
pub struct Counted(pub &'static [(plural::Category, &'static str)]);

/// Declares [`PageStrings`] and, for the tests, a list of its keys with their texts, so the
/// translation tests walk every key without a second list to keep in step.
macro_rules! page_strings {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        pub struct $name { $($(#[$field_meta])* pub $field: $ty,)* }

        #[cfg(test)]
        impl $name {
            /// Every key with its texts, in declaration order.
            fn keyed(&self) -> Vec<(&'static str, Texts)> {
                vec![$((stringify!($field), Texts::of(&self.$field)),)*]
            }
        }
    };
}

page_strings! {
/// The words of the page in one language.
#[derive(Debug)]
pub struct PageStrings {
    /// The language, written as `<html lang>` takes it.
    pub lang: Lang,
    /// `ltr` or `rtl`, for `<html dir>`: the language's [`Lang::dir`].
    pub dir: &'static str,
    pub title: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub owner_key: &'static str,
    pub sign_in: &'static str,
    pub wrong_key: &'static str,
    pub sign_out: &'static str,
    pub period: &'static str,
    /// Counted phrases have one form per plural category of the language; see [`Counted`].
    pub last_days: Counted,
    pub compared: Counted,
    pub export: &'static str,
    pub export_csv: &'static str,
    pub export_json: &'static str,
    pub responses: &'static str,
    pub csat: &'static str,
    pub nps: &'static str,
    pub promoters: Counted,
    pub passives: Counted,
    pub detractors: Counted,
    pub failures: &'static str,
    pub open_failures: &'static str,
    pub median_ack: &'static str,
    pub median_fix: &'static str,
    pub sla_compliance: &'static str,
    pub recovery: &'static str,
    pub clicks: &'static str,
    pub previous: &'static str,
    pub no_data: &'static str,
    pub trend_title: &'static str,
    pub trend_desc: &'static str,
    pub day: &'static str,
    pub mean_rating: &'static str,
    pub dimensions_title: &'static str,
    pub touchpoints_title: &'static str,
    pub fix_time_title: &'static str,
    pub fix_buckets: [&'static str; 5],
    pub count: &'static str,
    pub touchpoint: &'static str,
    pub show_data: &'static str,
    pub languages: &'static str,
    pub language: &'static str,
    /// A language's share of the answers.
    pub share: &'static str,
    pub target: &'static str,
    pub dimension_names: [&'static str; 5],
    pub to_fix_title: &'static str,
    pub nothing_to_fix: &'static str,
    pub more_to_fix: Counted,
    pub status_open: &'static str,
    pub status_acknowledged: &'static str,
    pub status_fixed: &'static str,
    pub rating: &'static str,
    pub what_went_wrong: &'static str,
    pub contact: &'static str,
    pub no_contact: &'static str,
    pub received: &'static str,
    pub sla_on_time: &'static str,
    pub sla_ack_overdue: &'static str,
    pub sla_fix_overdue: &'static str,
    pub ack_due: &'static str,
    pub fix_due: &'static str,
    pub callback_state: &'static str,
    pub no_callbacks_sent: &'static str,
    pub acknowledge: &'static str,
    pub fix: &'static str,
    pub fix_note: &'static str,
    pub reply_label: &'static str,
    pub send_reply: &'static str,
    pub your_reply: &'static str,
    pub delete: &'static str,
    pub delete_confirm: &'static str,
    pub praise_title: &'static str,
    pub no_praise: &'static str,
    pub callbacks_title: &'static str,
    pub no_endpoints: &'static str,
    pub endpoint: &'static str,
    pub endpoint_status: &'static str,
    pub last_delivery: &'static str,
    pub failed_deliveries: &'static str,
    pub replay: &'static str,
    /// A delivery's state: pending, delivered, failed, cancelled.
    pub delivery_states: [&'static str; 4],
    /// An endpoint's status: active, failing (out of retries), disabled (the receiver said 410).
    pub endpoint_statuses: [&'static str; 3],
    /// How many times a delivery was attempted.
    pub attempts: Counted,
    pub none: &'static str,
    pub done_acknowledged: &'static str,
    pub done_fixed: &'static str,
    pub done_replied: &'static str,
    pub done_deleted: &'static str,
    pub done_replayed: &'static str,
    pub error_title: &'static str,
    /// What an error page says, per kind of failure an owner can meet (see
    /// `owner_page::error_text`); `error_invalid` names the field in `{field}`.
    pub error_forbidden: &'static str,
    pub error_not_found: &'static str,
    pub error_conflict: &'static str,
    pub error_too_large: &'static str,
    pub error_confirm: &'static str,
    pub error_invalid: &'static str,
    pub error_internal: &'static str,
    /// 429: too many requests (e.g. sign-in attempts).
    pub error_busy: &'static str,
    /// Any other refused request (wrong method, wrong content type, a malformed form).
    pub error_request: &'static str,
    pub back: &'static str,
    pub minutes: Counted,
    pub hours: Counted,
    pub days: Counted,
    /// Between two units of a duration ("3 hours 20 minutes"; Arabic joins with "و").
    pub unit_joiner: &'static str,
    /// The six languages' names, in the order of [`Lang::ALL`], for the summary's language mix.
    pub language_names: [&'static str; 6],
}
}

impl PageStrings {
    /// How this language writes numbers and dates.
    pub fn locale(&self) -> &'static Locale {
        locale::of(self.lang)
    }

    /// The form of `phrase` for `n`, with the number written the language's way.
    pub fn count(&self, phrase: Counted, n: u64) -> String {
        let category = plural::cardinal(self.lang, n);
        let form = phrase.0.iter().find(|(c, _)| *c == category).or_else(|| phrase.0.iter().find(|(c, _)| *c == Other));
        form.map_or("{n}", |(_, text)| text).replace("{n}", &self.locale().integer(n))
    }

    /// The name of a language code in this language, with the code (`Estonian (et)`); codes
    /// outside the six are shown as they are.
    pub fn language_name(&self, code: &str) -> String {
        match Lang::from_tag(code) {
            Some(lang) => format!("{} ({code})", self.language_names[lang as usize]),
            None => code.to_owned(),
        }
    }
}

/// English: complete, and the default.
pub const EN: PageStrings = PageStrings {
    lang: Lang::En,
    dir: Lang::En.dir(),
    title: "Feedback summary",
    sign_in_title: "Sign in to your feedback summary",
    sign_in_intro: "Paste the owner key you were given when the site was created. You stay signed in on this browser for 12 hours.",
    owner_key: "Owner key",
    sign_in: "Sign in",
    wrong_key: "That key does not open this site. Check that you copied the whole key.",
    sign_out: "Sign out",
    period: "Period",
    last_days: Counted(&[(One, "Last day"), (Other, "Last {n} days")]),
    compared: Counted(&[(One, "Compared with the day before."), (Other, "Compared with the {n} days before.")]),
    export: "Export this period",
    export_csv: "CSV",
    export_json: "JSON",
    responses: "Responses",
    csat: "Satisfied (CSAT)",
    nps: "Net Promoter Score",
    promoters: Counted(&[(One, "{n} promoter"), (Other, "{n} promoters")]),
    passives: Counted(&[(One, "{n} passive"), (Other, "{n} passives")]),
    detractors: Counted(&[(One, "{n} detractor"), (Other, "{n} detractors")]),
    failures: "Failures",
    open_failures: "Failures not fixed yet",
    median_ack: "Median time to acknowledge",
    median_fix: "Median time to fix",
    sla_compliance: "Within SLA",
    recovery: "Recovered after a fix",
    clicks: "Tell-others clicks",
    previous: "before",
    no_data: "–",
    trend_title: "Responses and mean rating per day",
    trend_desc: "Columns: responses per day. Line: mean rating (right axis).",
    day: "Day",
    mean_rating: "Mean rating",
    dimensions_title: "Failures by what went wrong",
    touchpoints_title: "Failures by touchpoint, worst first",
    fix_time_title: "Time to fix",
    fix_buckets: ["up to 1 hour", "1–4 hours", "4–24 hours", "1–3 days", "over 3 days"],
    count: "Count",
    touchpoint: "Touchpoint",
    show_data: "Show the numbers",
    languages: "Languages of the answers",
    language: "Language",
    share: "Share",
    target: "Where",
    dimension_names: [
        "It did not work as promised (reliability)",
        "It was slow (responsiveness)",
        "We did not seem competent (assurance)",
        "We did not care (empathy)",
        "Place, product or look (tangibles)",
    ],
    to_fix_title: "Failures to fix",
    nothing_to_fix: "Nothing to fix: every failure has been fixed.",
    more_to_fix: Counted(&[
        (One, "Only the most urgent one is shown; fix it to see the rest."),
        (Other, "Only the {n} most urgent are shown; fix these to see the rest."),
    ]),
    status_open: "Open",
    status_acknowledged: "Acknowledged",
    status_fixed: "Fixed",
    rating: "Rating",
    what_went_wrong: "What went wrong",
    contact: "Contact (customer consented)",
    no_contact: "No contact left",
    received: "Received",
    sla_on_time: "Within SLA",
    sla_ack_overdue: "Acknowledgement overdue",
    sla_fix_overdue: "Fix overdue",
    ack_due: "Acknowledge by",
    fix_due: "Fix by",
    callback_state: "Callbacks",
    no_callbacks_sent: "none sent",
    acknowledge: "Acknowledge",
    fix: "Mark fixed",
    fix_note: "What was done (optional, kept with the entry)",
    reply_label: "Reply to the customer (they see it on their next visit)",
    send_reply: "Send reply",
    your_reply: "Your reply",
    delete: "Delete (erase)",
    delete_confirm: "Erase this entry and its contact details for good",
    praise_title: "Praise",
    no_praise: "No praise in this period yet.",
    callbacks_title: "Callback health",
    no_endpoints: "No callback endpoints yet. Register one with POST /v1/sites/{site}/callbacks (see the README).",
    endpoint: "Endpoint",
    endpoint_status: "Status",
    last_delivery: "Last delivery",
    failed_deliveries: "Failed deliveries",
    replay: "Send again",
    delivery_states: ["pending", "delivered", "failed", "cancelled"],
    endpoint_statuses: ["active", "failing", "disabled"],
    attempts: Counted(&[(One, "{n} attempt"), (Other, "{n} attempts")]),
    none: "none",
    done_acknowledged: "Acknowledged.",
    done_fixed: "Marked fixed. The customer will be asked how it is now.",
    done_replied: "Reply saved. The customer sees it on their next visit.",
    done_deleted: "Entry erased.",
    done_replayed: "Delivery sent again; its result is below.",
    error_title: "That did not work",
    error_forbidden: "This form has expired or did not come from your summary page. Reload the page and try again.",
    error_not_found: "That entry or delivery no longer exists; it may have been deleted meanwhile.",
    error_conflict: "That cannot be done any more: the entry or delivery has changed since the page was loaded.",
    error_too_large: "The form is too large. Shorten the text and try again.",
    error_confirm: "Tick the box to confirm that the entry and its contact details are to be erased.",
    error_invalid: "Check “{field}”: the text is missing, too long or holds characters that cannot be stored (such as control characters).",
    error_internal: "Something went wrong on our side. Try again in a minute.",
    error_busy: "Too many attempts in a short time. Wait a minute and try again.",
    error_request: "The page could not handle this request. Go back and try again.",
    back: "Back to the summary",
    minutes: Counted(&[(One, "{n} minute"), (Other, "{n} minutes")]),
    hours: Counted(&[(One, "{n} hour"), (Other, "{n} hours")]),
    days: Counted(&[(One, "{n} day"), (Other, "{n} days")]),
    unit_joiner: " ",
    language_names: ["English", "Estonian", "Finnish", "Polish", "Russian", "Arabic"],
};

/// Estonian.
pub const ET: PageStrings = PageStrings {
    lang: Lang::Et,
    dir: Lang::Et.dir(),
    title: "Tagasiside kokkuvõte",
    sign_in_title: "Logi sisse tagasiside kokkuvõttesse",
    sign_in_intro: "Kleebi omaniku võti, mille said saidi loomisel. Selles brauseris jääd sisse 12 tunniks.",
    owner_key: "Omaniku võti",
    sign_in: "Logi sisse",
    wrong_key: "See võti ei ava seda saiti. Kontrolli, et kopeerisid kogu võtme.",
    sign_out: "Logi välja",
    period: "Periood",
    last_days: Counted(&[(One, "Viimane päev"), (Other, "Viimased {n} päeva")]),
    compared: Counted(&[(One, "Võrreldud eelneva päevaga."), (Other, "Võrreldud eelneva {n} päevaga.")]),
    export: "Ekspordi see periood",
    export_csv: "CSV",
    export_json: "JSON",
    responses: "Vastuseid",
    csat: "Rahul (CSAT)",
    nps: "Soovitusindeks (NPS)",
    promoters: Counted(&[(One, "{n} soovitaja"), (Other, "{n} soovitajat")]),
    passives: Counted(&[(One, "{n} neutraalne"), (Other, "{n} neutraalset")]),
    detractors: Counted(&[(One, "{n} kriitik"), (Other, "{n} kriitikut")]),
    failures: "Ebaõnnestumisi",
    open_failures: "Parandamata ebaõnnestumisi",
    median_ack: "Mediaanaeg kinnitamiseni",
    median_fix: "Mediaanaeg parandamiseni",
    sla_compliance: "SLA piires",
    recovery: "Pärast parandust rahul",
    clicks: "Teistele rääkimise klikke",
    previous: "enne",
    no_data: "–",
    trend_title: "Vastused ja keskmine hinne päevas",
    trend_desc: "Tulbad: vastuseid päevas. Joon: keskmine hinne (parem telg).",
    day: "Päev",
    mean_rating: "Keskmine hinne",
    dimensions_title: "Ebaõnnestumised selle järgi, mis läks valesti",
    touchpoints_title: "Ebaõnnestumised kontaktpunktide kaupa, halvim enne",
    fix_time_title: "Parandamise aeg",
    fix_buckets: ["kuni 1 tund", "1–4 tundi", "4–24 tundi", "1–3 päeva", "üle 3 päeva"],
    count: "Arv",
    touchpoint: "Kontaktpunkt",
    show_data: "Näita numbreid",
    languages: "Vastuste keeled",
    language: "Keel",
    share: "Osakaal",
    target: "Kuhu",
    dimension_names: [
        "Ei toiminud lubatud viisil (usaldusväärsus)",
        "Oli aeglane (reageerimisvõime)",
        "Me ei tundunud pädevad (kindlustunne)",
        "Me ei hoolinud (empaatia)",
        "Koht, toode või välimus (käegakatsutav)",
    ],
    to_fix_title: "Parandamist vajavad ebaõnnestumised",
    nothing_to_fix: "Midagi pole parandada: kõik ebaõnnestumised on parandatud.",
    more_to_fix: Counted(&[
        (One, "Näidatakse ainult kõige pakilisemat; paranda see, et näha ülejäänuid."),
        (Other, "Näidatakse ainult {n} kõige pakilisemat; paranda need, et näha ülejäänuid."),
    ]),
    status_open: "Avatud",
    status_acknowledged: "Kinnitatud",
    status_fixed: "Parandatud",
    rating: "Hinne",
    what_went_wrong: "Mis läks valesti",
    contact: "Kontakt (klient andis nõusoleku)",
    no_contact: "Kontakti ei jäetud",
    received: "Saabunud",
    sla_on_time: "SLA piires",
    sla_ack_overdue: "Kinnitamine hilineb",
    sla_fix_overdue: "Parandamine hilineb",
    ack_due: "Kinnita hiljemalt",
    fix_due: "Paranda hiljemalt",
    callback_state: "Tagasikutsed",
    no_callbacks_sent: "pole saadetud",
    acknowledge: "Kinnita",
    fix: "Märgi parandatuks",
    fix_note: "Mida tehti (valikuline, jääb kirje juurde)",
    reply_label: "Vastus kliendile (näeb seda järgmisel külastusel)",
    send_reply: "Saada vastus",
    your_reply: "Sinu vastus",
    delete: "Kustuta",
    delete_confirm: "Kustuta see kirje ja selle kontaktandmed jäädavalt",
    praise_title: "Kiitus",
    no_praise: "Sel perioodil veel kiitust pole.",
    callbacks_title: "Tagasikutsete seisund",
    no_endpoints: "Tagasikutse aadresse veel pole. Lisa üks: POST /v1/sites/{site}/callbacks (vt README).",
    endpoint: "Aadress",
    endpoint_status: "Olek",
    last_delivery: "Viimane saatmine",
    failed_deliveries: "Ebaõnnestunud saatmised",
    replay: "Saada uuesti",
    delivery_states: ["ootel", "kohale toimetatud", "ebaõnnestus", "tühistatud"],
    endpoint_statuses: ["aktiivne", "tõrgetega", "välja lülitatud"],
    attempts: Counted(&[(One, "{n} katse"), (Other, "{n} katset")]),
    none: "puudub",
    done_acknowledged: "Kinnitatud.",
    done_fixed: "Märgitud parandatuks. Kliendilt küsitakse, kuidas nüüd on.",
    done_replied: "Vastus salvestatud. Klient näeb seda järgmisel külastusel.",
    done_deleted: "Kirje kustutatud.",
    done_replayed: "Saadeti uuesti; tulemus on allpool.",
    error_title: "See ei õnnestunud",
    error_forbidden: "See vorm on aegunud või ei tulnud sinu kokkuvõtte lehelt. Laadi leht uuesti ja proovi veel kord.",
    error_not_found: "Seda kirjet või saatmist enam pole; võib-olla kustutati see vahepeal.",
    error_conflict: "Seda ei saa enam teha: kirje või saatmine on pärast lehe laadimist muutunud.",
    error_too_large: "Vorm on liiga suur. Lühenda teksti ja proovi uuesti.",
    error_confirm: "Märgi ruut, et kinnitada kirje ja selle kontaktandmete kustutamine.",
    error_invalid: "Kontrolli välja „{field}”: tekst puudub, on liiga pikk või sisaldab märke, mida ei saa salvestada (nt juhtmärke).",
    error_internal: "Meie poolel läks midagi valesti. Proovi minuti pärast uuesti.",
    error_busy: "Liiga palju katseid lühikese aja jooksul. Oota minut ja proovi uuesti.",
    error_request: "Leht ei saanud seda päringut töödelda. Mine tagasi ja proovi uuesti.",
    back: "Tagasi kokkuvõttesse",
    minutes: Counted(&[(One, "{n} minut"), (Other, "{n} minutit")]),
    hours: Counted(&[(One, "{n} tund"), (Other, "{n} tundi")]),
    days: Counted(&[(One, "{n} päev"), (Other, "{n} päeva")]),
    unit_joiner: " ",
    language_names: ["inglise", "eesti", "soome", "poola", "vene", "araabia"],
};

/// Finnish.
pub const FI: PageStrings = PageStrings {
    lang: Lang::Fi,
    dir: Lang::Fi.dir(),
    title: "Palauteyhteenveto",
    sign_in_title: "Kirjaudu palauteyhteenvetoon",
    sign_in_intro: "Liitä omistaja-avain, jonka sait sivuston luonnin yhteydessä. Pysyt kirjautuneena tässä selaimessa 12 tuntia.",
    owner_key: "Omistaja-avain",
    sign_in: "Kirjaudu",
    wrong_key: "Tämä avain ei avaa tätä sivustoa. Tarkista, että kopioit koko avaimen.",
    sign_out: "Kirjaudu ulos",
    period: "Jakso",
    last_days: Counted(&[(One, "Viimeinen päivä"), (Other, "Viimeiset {n} päivää")]),
    compared: Counted(&[(One, "Verrattuna edelliseen päivään."), (Other, "Verrattuna edeltäviin {n} päivään.")]),
    export: "Vie tämä jakso",
    export_csv: "CSV",
    export_json: "JSON",
    responses: "Vastauksia",
    csat: "Tyytyväisiä (CSAT)",
    nps: "Suositteluindeksi (NPS)",
    promoters: Counted(&[(One, "{n} suosittelija"), (Other, "{n} suosittelijaa")]),
    passives: Counted(&[(One, "{n} passiivinen"), (Other, "{n} passiivista")]),
    detractors: Counted(&[(One, "{n} arvostelija"), (Other, "{n} arvostelijaa")]),
    failures: "Epäonnistumisia",
    open_failures: "Korjaamattomia epäonnistumisia",
    median_ack: "Mediaaniaika kuittaukseen",
    median_fix: "Mediaaniaika korjaukseen",
    sla_compliance: "SLA:n sisällä",
    recovery: "Tyytyväisiä korjauksen jälkeen",
    clicks: "Kerro muille -klikkauksia",
    previous: "ennen",
    no_data: "–",
    trend_title: "Vastaukset ja keskiarvosana päivittäin",
    trend_desc: "Pylväät: vastauksia päivässä. Viiva: keskiarvosana (oikea akseli).",
    day: "Päivä",
    mean_rating: "Keskiarvosana",
    dimensions_title: "Epäonnistumiset sen mukaan, mikä meni vikaan",
    touchpoints_title: "Epäonnistumiset kohtaamispisteittäin, pahin ensin",
    fix_time_title: "Korjausaika",
    fix_buckets: ["enintään 1 tunti", "1–4 tuntia", "4–24 tuntia", "1–3 päivää", "yli 3 päivää"],
    count: "Määrä",
    touchpoint: "Kohtaamispiste",
    show_data: "Näytä luvut",
    languages: "Vastausten kielet",
    language: "Kieli",
    share: "Osuus",
    target: "Mihin",
    dimension_names: [
        "Ei toiminut luvatusti (luotettavuus)",
        "Se oli hidasta (reagointikyky)",
        "Emme vaikuttaneet osaavilta (varmuus)",
        "Emme välittäneet (empatia)",
        "Paikka, tuote tai ulkoasu (konkreettiset tekijät)",
    ],
    to_fix_title: "Korjattavat epäonnistumiset",
    nothing_to_fix: "Ei korjattavaa: kaikki epäonnistumiset on korjattu.",
    more_to_fix: Counted(&[
        (One, "Vain kiireellisin näytetään; korjaa se nähdäksesi loput."),
        (Other, "Vain {n} kiireellisintä näytetään; korjaa ne nähdäksesi loput."),
    ]),
    status_open: "Avoin",
    status_acknowledged: "Kuitattu",
    status_fixed: "Korjattu",
    rating: "Arvosana",
    what_went_wrong: "Mikä meni vikaan",
    contact: "Yhteystiedot (asiakas antoi luvan)",
    no_contact: "Ei yhteystietoja",
    received: "Vastaanotettu",
    sla_on_time: "SLA:n sisällä",
    sla_ack_overdue: "Kuittaus myöhässä",
    sla_fix_overdue: "Korjaus myöhässä",
    ack_due: "Kuittaa viimeistään",
    fix_due: "Korjaa viimeistään",
    callback_state: "Takaisinkutsut",
    no_callbacks_sent: "ei lähetetty",
    acknowledge: "Kuittaa",
    fix: "Merkitse korjatuksi",
    fix_note: "Mitä tehtiin (valinnainen, tallennetaan merkintään)",
    reply_label: "Vastaus asiakkaalle (näkyy seuraavalla käynnillä)",
    send_reply: "Lähetä vastaus",
    your_reply: "Vastauksesi",
    delete: "Poista",
    delete_confirm: "Poista tämä merkintä ja sen yhteystiedot pysyvästi",
    praise_title: "Kehut",
    no_praise: "Tällä jaksolla ei vielä kehuja.",
    callbacks_title: "Takaisinkutsujen tila",
    no_endpoints: "Ei vielä takaisinkutsuosoitteita. Lisää sellainen: POST /v1/sites/{site}/callbacks (katso README).",
    endpoint: "Osoite",
    endpoint_status: "Tila",
    last_delivery: "Viimeisin toimitus",
    failed_deliveries: "Epäonnistuneet toimitukset",
    replay: "Lähetä uudelleen",
    delivery_states: ["odottaa", "toimitettu", "epäonnistui", "peruttu"],
    endpoint_statuses: ["käytössä", "häiriöitä", "poistettu käytöstä"],
    attempts: Counted(&[(One, "{n} yritys"), (Other, "{n} yritystä")]),
    none: "ei mitään",
    done_acknowledged: "Kuitattu.",
    done_fixed: "Merkitty korjatuksi. Asiakkaalta kysytään, miten nyt menee.",
    done_replied: "Vastaus tallennettu. Asiakas näkee sen seuraavalla käynnillä.",
    done_deleted: "Merkintä poistettu.",
    done_replayed: "Lähetetty uudelleen; tulos näkyy alla.",
    error_title: "Se ei onnistunut",
    error_forbidden: "Lomake on vanhentunut tai se ei tullut yhteenvetosivultasi. Lataa sivu uudelleen ja yritä uudestaan.",
    error_not_found: "Merkintää tai toimitusta ei enää ole; se on ehkä poistettu sillä välin.",
    error_conflict: "Sitä ei voi enää tehdä: merkintä tai toimitus on muuttunut sivun lataamisen jälkeen.",
    error_too_large: "Lomake on liian suuri. Lyhennä tekstiä ja yritä uudelleen.",
    error_confirm: "Valitse ruutu vahvistaaksesi, että merkintä ja sen yhteystiedot poistetaan.",
    error_invalid: "Tarkista kenttä ”{field}”: teksti puuttuu, on liian pitkä tai sisältää merkkejä, joita ei voi tallentaa (kuten ohjausmerkkejä).",
    error_internal: "Jokin meni vikaan meidän päässämme. Yritä uudelleen hetken kuluttua.",
    error_busy: "Liian monta yritystä lyhyessä ajassa. Odota hetki ja yritä uudelleen.",
    error_request: "Sivu ei voinut käsitellä tätä pyyntöä. Palaa takaisin ja yritä uudelleen.",
    back: "Takaisin yhteenvetoon",
    minutes: Counted(&[(One, "{n} minuutti"), (Other, "{n} minuuttia")]),
    hours: Counted(&[(One, "{n} tunti"), (Other, "{n} tuntia")]),
    days: Counted(&[(One, "{n} päivä"), (Other, "{n} päivää")]),
    unit_joiner: " ",
    language_names: ["englanti", "viro", "suomi", "puola", "venäjä", "arabia"],
};

/// Polish.
pub const PL: PageStrings = PageStrings {
    lang: Lang::Pl,
    dir: Lang::Pl.dir(),
    title: "Podsumowanie opinii",
    sign_in_title: "Zaloguj się do podsumowania opinii",
    sign_in_intro: "Wklej klucz właściciela otrzymany przy tworzeniu witryny. W tej przeglądarce pozostaniesz zalogowany przez 12 godzin.",
    owner_key: "Klucz właściciela",
    sign_in: "Zaloguj się",
    wrong_key: "Ten klucz nie otwiera tej witryny. Sprawdź, czy skopiowano cały klucz.",
    sign_out: "Wyloguj się",
    period: "Okres",
    last_days: Counted(&[
        (One, "Ostatni dzień"),
        (Few, "Ostatnie {n} dni"),
        (Many, "Ostatnie {n} dni"),
        (Other, "Ostatnie {n} dnia"),
    ]),
    compared: Counted(&[
        (One, "W porównaniu z poprzednim dniem."),
        (Few, "W porównaniu z poprzednimi {n} dniami."),
        (Many, "W porównaniu z poprzednimi {n} dniami."),
        (Other, "W porównaniu z poprzednimi {n} dnia."),
    ]),
    export: "Eksportuj ten okres",
    export_csv: "CSV",
    export_json: "JSON",
    responses: "Odpowiedzi",
    csat: "Zadowoleni (CSAT)",
    nps: "Net Promoter Score",
    promoters: Counted(&[
        (One, "{n} promotor"),
        (Few, "{n} promotorów"),
        (Many, "{n} promotorów"),
        (Other, "{n} promotora"),
    ]),
    passives: Counted(&[
        (One, "{n} neutralny"),
        (Few, "{n} neutralnych"),
        (Many, "{n} neutralnych"),
        (Other, "{n} neutralnego"),
    ]),
    detractors: Counted(&[(One, "{n} krytyk"), (Few, "{n} krytyków"), (Many, "{n} krytyków"), (Other, "{n} krytyka")]),
    failures: "Porażki",
    open_failures: "Nienaprawione porażki",
    median_ack: "Mediana czasu do potwierdzenia",
    median_fix: "Mediana czasu do naprawy",
    sla_compliance: "W ramach SLA",
    recovery: "Zadowoleni po naprawie",
    clicks: "Kliknięcia „powiedz innym”",
    previous: "wcześniej",
    no_data: "–",
    trend_title: "Odpowiedzi i średnia ocena dziennie",
    trend_desc: "Słupki: odpowiedzi dziennie. Linia: średnia ocena (prawa oś).",
    day: "Dzień",
    mean_rating: "Średnia ocena",
    dimensions_title: "Porażki według tego, co poszło źle",
    touchpoints_title: "Porażki według punktu kontaktu, najgorsze najpierw",
    fix_time_title: "Czas naprawy",
    fix_buckets: ["do 1 godziny", "1–4 godziny", "4–24 godziny", "1–3 dni", "ponad 3 dni"],
    count: "Liczba",
    touchpoint: "Punkt kontaktu",
    show_data: "Pokaż liczby",
    languages: "Języki odpowiedzi",
    language: "Język",
    share: "Udział",
    target: "Gdzie",
    dimension_names: [
        "Nie działało tak, jak obiecano (niezawodność)",
        "Trwało to zbyt długo (responsywność)",
        "Nie wydawaliśmy się kompetentni (pewność)",
        "Nie zależało nam (empatia)",
        "Miejsce, produkt lub wygląd (elementy materialne)",
    ],
    to_fix_title: "Porażki do naprawienia",
    nothing_to_fix: "Nie ma nic do naprawienia: wszystkie porażki zostały naprawione.",
    more_to_fix: Counted(&[
        (One, "Pokazano tylko najpilniejszą porażkę; napraw ją, aby zobaczyć resztę."),
        (Few, "Pokazano tylko {n} najpilniejsze porażki; napraw je, aby zobaczyć resztę."),
        (Many, "Pokazano tylko {n} najpilniejszych porażek; napraw je, aby zobaczyć resztę."),
        (Other, "Pokazano tylko {n} najpilniejszej porażki; napraw je, aby zobaczyć resztę."),
    ]),
    status_open: "Otwarta",
    status_acknowledged: "Potwierdzona",
    status_fixed: "Naprawiona",
    rating: "Ocena",
    what_went_wrong: "Co poszło źle",
    contact: "Kontakt (za zgodą klienta)",
    no_contact: "Brak kontaktu",
    received: "Otrzymano",
    sla_on_time: "W ramach SLA",
    sla_ack_overdue: "Potwierdzenie spóźnione",
    sla_fix_overdue: "Naprawa spóźniona",
    ack_due: "Potwierdź do",
    fix_due: "Napraw do",
    callback_state: "Powiadomienia zwrotne",
    no_callbacks_sent: "nie wysłano",
    acknowledge: "Potwierdź",
    fix: "Oznacz jako naprawione",
    fix_note: "Co zrobiono (opcjonalnie, zapisane przy wpisie)",
    reply_label: "Odpowiedź dla klienta (zobaczy ją przy następnej wizycie)",
    send_reply: "Wyślij odpowiedź",
    your_reply: "Twoja odpowiedź",
    delete: "Usuń",
    delete_confirm: "Usuń trwale ten wpis i dane kontaktowe",
    praise_title: "Pochwały",
    no_praise: "W tym okresie nie ma jeszcze pochwał.",
    callbacks_title: "Stan powiadomień zwrotnych",
    no_endpoints: "Brak adresów powiadomień. Dodaj adres: POST /v1/sites/{site}/callbacks (zob. README).",
    endpoint: "Adres",
    endpoint_status: "Stan",
    last_delivery: "Ostatnie doręczenie",
    failed_deliveries: "Nieudane doręczenia",
    replay: "Wyślij ponownie",
    delivery_states: ["oczekuje", "doręczono", "nie doręczono", "anulowano"],
    endpoint_statuses: ["aktywny", "z błędami", "wyłączony"],
    attempts: Counted(&[(One, "{n} próba"), (Few, "{n} próby"), (Many, "{n} prób"), (Other, "{n} próby")]),
    none: "brak",
    done_acknowledged: "Potwierdzono.",
    done_fixed: "Oznaczono jako naprawione. Klient zostanie zapytany, jak jest teraz.",
    done_replied: "Zapisano odpowiedź. Klient zobaczy ją przy następnej wizycie.",
    done_deleted: "Wpis usunięto.",
    done_replayed: "Wysłano ponownie; wynik poniżej.",
    error_title: "To się nie udało",
    error_forbidden: "Ten formularz wygasł lub nie pochodzi z Twojej strony podsumowania. Odśwież stronę i spróbuj ponownie.",
    error_not_found: "Ten wpis lub to doręczenie już nie istnieje; mogło zostać w międzyczasie usunięte.",
    error_conflict: "Tego nie można już zrobić: wpis lub doręczenie zmieniło się od załadowania strony.",
    error_too_large: "Formularz jest zbyt duży. Skróć tekst i spróbuj ponownie.",
    error_confirm: "Zaznacz pole, aby potwierdzić usunięcie wpisu i jego danych kontaktowych.",
    error_invalid: "Sprawdź pole „{field}”: brakuje tekstu, jest za długi lub zawiera znaki, których nie można zapisać (np. znaki sterujące).",
    error_internal: "Coś poszło nie tak po naszej stronie. Spróbuj ponownie za minutę.",
    error_busy: "Zbyt wiele prób w krótkim czasie. Odczekaj minutę i spróbuj ponownie.",
    error_request: "Strona nie mogła obsłużyć tego żądania. Wróć i spróbuj ponownie.",
    back: "Wróć do podsumowania",
    minutes: Counted(&[(One, "{n} minuta"), (Few, "{n} minuty"), (Many, "{n} minut"), (Other, "{n} minuty")]),
    hours: Counted(&[(One, "{n} godzina"), (Few, "{n} godziny"), (Many, "{n} godzin"), (Other, "{n} godziny")]),
    days: Counted(&[(One, "{n} dzień"), (Few, "{n} dni"), (Many, "{n} dni"), (Other, "{n} dnia")]),
    unit_joiner: " ",
    language_names: ["angielski", "estoński", "fiński", "polski", "rosyjski", "arabski"],
};

/// Russian.
pub const RU: PageStrings = PageStrings {
    lang: Lang::Ru,
    dir: Lang::Ru.dir(),
    title: "Сводка отзывов",
    sign_in_title: "Вход в сводку отзывов",
    sign_in_intro: "Вставьте ключ владельца, полученный при создании сайта. В этом браузере вход сохранится на 12 часов.",
    owner_key: "Ключ владельца",
    sign_in: "Войти",
    wrong_key: "Этот ключ не открывает этот сайт. Проверьте, что ключ скопирован полностью.",
    sign_out: "Выйти",
    period: "Период",
    last_days: Counted(&[
        (One, "Последний {n} день"),
        (Few, "Последние {n} дня"),
        (Many, "Последние {n} дней"),
        (Other, "Последние {n} дня"),
    ]),
    compared: Counted(&[
        (One, "В сравнении с предыдущим {n} днём."),
        (Few, "В сравнении с предыдущими {n} днями."),
        (Many, "В сравнении с предыдущими {n} днями."),
        (Other, "В сравнении с предыдущими {n} дня."),
    ]),
    export: "Экспорт за период",
    export_csv: "CSV",
    export_json: "JSON",
    responses: "Ответы",
    csat: "Довольны (CSAT)",
    nps: "Индекс NPS",
    promoters: Counted(&[
        (One, "{n} промоутер"),
        (Few, "{n} промоутера"),
        (Many, "{n} промоутеров"),
        (Other, "{n} промоутера"),
    ]),
    passives: Counted(&[
        (One, "{n} нейтральный"),
        (Few, "{n} нейтральных"),
        (Many, "{n} нейтральных"),
        (Other, "{n} нейтрального"),
    ]),
    detractors: Counted(&[(One, "{n} критик"), (Few, "{n} критика"), (Many, "{n} критиков"), (Other, "{n} критика")]),
    failures: "Сбои",
    open_failures: "Неисправленные сбои",
    median_ack: "Медиана до подтверждения",
    median_fix: "Медиана до исправления",
    sla_compliance: "В рамках SLA",
    recovery: "Довольны после исправления",
    clicks: "Клики «рассказать другим»",
    previous: "ранее",
    no_data: "–",
    trend_title: "Ответы и средняя оценка по дням",
    trend_desc: "Столбцы: ответов в день. Линия: средняя оценка (правая ось).",
    day: "День",
    mean_rating: "Средняя оценка",
    dimensions_title: "Сбои по тому, что пошло не так",
    touchpoints_title: "Сбои по точкам контакта, худшие сначала",
    fix_time_title: "Время исправления",
    fix_buckets: ["до 1 часа", "1–4 часа", "4–24 часа", "1–3 дня", "более 3 дней"],
    count: "Количество",
    touchpoint: "Точка контакта",
    show_data: "Показать числа",
    languages: "Языки ответов",
    language: "Язык",
    share: "Доля",
    target: "Куда",
    dimension_names: [
        "Работало не так, как обещано (надёжность)",
        "Было медленно (отзывчивость)",
        "Мы не выглядели компетентными (уверенность)",
        "Нам было всё равно (эмпатия)",
        "Место, товар или внешний вид (материальность)",
    ],
    to_fix_title: "Сбои, которые нужно исправить",
    nothing_to_fix: "Исправлять нечего: все сбои исправлены.",
    more_to_fix: Counted(&[
        (One, "Показан только {n} самый срочный сбой; исправьте показанные, чтобы увидеть остальные."),
        (Few, "Показаны только {n} самых срочных сбоя; исправьте их, чтобы увидеть остальные."),
        (Many, "Показаны только {n} самых срочных сбоев; исправьте их, чтобы увидеть остальные."),
        (Other, "Показаны только {n} самого срочного сбоя; исправьте их, чтобы увидеть остальные."),
    ]),
    status_open: "Открыт",
    status_acknowledged: "Подтверждён",
    status_fixed: "Исправлен",
    rating: "Оценка",
    what_went_wrong: "Что пошло не так",
    contact: "Контакт (с согласия клиента)",
    no_contact: "Контакт не оставлен",
    received: "Получено",
    sla_on_time: "В рамках SLA",
    sla_ack_overdue: "Подтверждение просрочено",
    sla_fix_overdue: "Исправление просрочено",
    ack_due: "Подтвердить до",
    fix_due: "Исправить до",
    callback_state: "Обратные вызовы",
    no_callbacks_sent: "не отправлялись",
    acknowledge: "Подтвердить",
    fix: "Отметить исправленным",
    fix_note: "Что сделано (необязательно, сохраняется в записи)",
    reply_label: "Ответ клиенту (увидит при следующем визите)",
    send_reply: "Отправить ответ",
    your_reply: "Ваш ответ",
    delete: "Удалить",
    delete_confirm: "Удалить эту запись и контактные данные навсегда",
    praise_title: "Похвала",
    no_praise: "За этот период похвалы пока нет.",
    callbacks_title: "Состояние обратных вызовов",
    no_endpoints: "Адресов обратного вызова пока нет. Добавьте: POST /v1/sites/{site}/callbacks (см. README).",
    endpoint: "Адрес",
    endpoint_status: "Состояние",
    last_delivery: "Последняя доставка",
    failed_deliveries: "Неудачные доставки",
    replay: "Отправить снова",
    delivery_states: ["ожидает", "доставлено", "не доставлено", "отменено"],
    endpoint_statuses: ["активен", "со сбоями", "отключён"],
    attempts: Counted(&[(One, "{n} попытка"), (Few, "{n} попытки"), (Many, "{n} попыток"), (Other, "{n} попытки")]),
    none: "нет",
    done_acknowledged: "Подтверждено.",
    done_fixed: "Отмечено исправленным. Клиента спросят, как теперь.",
    done_replied: "Ответ сохранён. Клиент увидит его при следующем визите.",
    done_deleted: "Запись удалена.",
    done_replayed: "Отправлено снова; результат ниже.",
    error_title: "Не получилось",
    error_forbidden: "Эта форма устарела или отправлена не со страницы вашей сводки. Обновите страницу и попробуйте снова.",
    error_not_found: "Этой записи или доставки больше нет; возможно, её тем временем удалили.",
    error_conflict: "Это больше нельзя сделать: запись или доставка изменились после загрузки страницы.",
    error_too_large: "Форма слишком большая. Сократите текст и попробуйте снова.",
    error_confirm: "Отметьте флажок, чтобы подтвердить удаление записи и её контактных данных.",
    error_invalid: "Проверьте поле «{field}»: текста нет, он слишком длинный или содержит символы, которые нельзя сохранить (например, управляющие).",
    error_internal: "Что-то пошло не так на нашей стороне. Попробуйте снова через минуту.",
    error_busy: "Слишком много попыток за короткое время. Подождите минуту и попробуйте снова.",
    error_request: "Страница не смогла обработать этот запрос. Вернитесь назад и попробуйте снова.",
    back: "Назад к сводке",
    minutes: Counted(&[(One, "{n} минута"), (Few, "{n} минуты"), (Many, "{n} минут"), (Other, "{n} минуты")]),
    hours: Counted(&[(One, "{n} час"), (Few, "{n} часа"), (Many, "{n} часов"), (Other, "{n} часа")]),
    days: Counted(&[(One, "{n} день"), (Few, "{n} дня"), (Many, "{n} дней"), (Other, "{n} дня")]),
    unit_joiner: " ",
    language_names: ["английский", "эстонский", "финский", "польский", "русский", "арабский"],
};

/// Arabic, laid out right to left.
pub const AR: PageStrings = PageStrings {
    lang: Lang::Ar,
    dir: Lang::Ar.dir(),
    title: "ملخص الآراء",
    sign_in_title: "تسجيل الدخول إلى ملخص الآراء",
    sign_in_intro: "الصق مفتاح المالك الذي حصلت عليه عند إنشاء الموقع. ستبقى مسجلاً في هذا المتصفح لمدة 12 ساعة.",
    owner_key: "مفتاح المالك",
    sign_in: "تسجيل الدخول",
    wrong_key: "هذا المفتاح لا يفتح هذا الموقع. تأكد من نسخ المفتاح كاملاً.",
    sign_out: "تسجيل الخروج",
    period: "الفترة",
    last_days: Counted(&[
        (Zero, "آخر {n} يوم"),
        (One, "آخر يوم"),
        (Two, "آخر يومين"),
        (Few, "آخر {n} أيام"),
        (Many, "آخر {n} يومًا"),
        (Other, "آخر {n} يوم"),
    ]),
    compared: Counted(&[
        (Zero, "مقارنةً بـ{n} يوم سابق."),
        (One, "مقارنةً باليوم السابق."),
        (Two, "مقارنةً باليومين السابقين."),
        (Few, "مقارنةً بالـ {n} أيام السابقة."),
        (Many, "مقارنةً بالـ {n} يومًا السابقة."),
        (Other, "مقارنةً بالـ {n} يوم السابقة."),
    ]),
    export: "تصدير هذه الفترة",
    export_csv: "CSV",
    export_json: "JSON",
    responses: "الردود",
    csat: "الراضون (CSAT)",
    nps: "صافي نقاط الترويج (NPS)",
    promoters: Counted(&[
        (Zero, "{n} مروّج"),
        (One, "مروّج واحد"),
        (Two, "مروّجان"),
        (Few, "{n} مروّجين"),
        (Many, "{n} مروّجًا"),
        (Other, "{n} مروّج"),
    ]),
    passives: Counted(&[
        (Zero, "{n} محايد"),
        (One, "محايد واحد"),
        (Two, "محايدان"),
        (Few, "{n} محايدين"),
        (Many, "{n} محايدًا"),
        (Other, "{n} محايد"),
    ]),
    detractors: Counted(&[
        (Zero, "{n} منتقد"),
        (One, "منتقد واحد"),
        (Two, "منتقدان"),
        (Few, "{n} منتقدين"),
        (Many, "{n} منتقدًا"),
        (Other, "{n} منتقد"),
    ]),
    failures: "الإخفاقات",
    open_failures: "إخفاقات لم تُصلح بعد",
    median_ack: "الوسيط حتى الإقرار",
    median_fix: "الوسيط حتى الإصلاح",
    sla_compliance: "ضمن اتفاقية مستوى الخدمة",
    recovery: "راضون بعد الإصلاح",
    clicks: "نقرات «أخبر الآخرين»",
    previous: "سابقًا",
    no_data: "–",
    trend_title: "الردود ومتوسط التقييم يوميًا",
    trend_desc: "الأعمدة: الردود في اليوم. الخط: متوسط التقييم (المحور الأيمن).",
    day: "اليوم",
    mean_rating: "متوسط التقييم",
    dimensions_title: "الإخفاقات حسب ما حدث من خطأ",
    touchpoints_title: "الإخفاقات حسب نقطة التواصل، الأسوأ أولاً",
    fix_time_title: "مدة الإصلاح",
    fix_buckets: ["حتى ساعة", "1–4 ساعات", "4–24 ساعة", "1–3 أيام", "أكثر من 3 أيام"],
    count: "العدد",
    touchpoint: "نقطة التواصل",
    show_data: "عرض الأرقام",
    languages: "لغات الردود",
    language: "اللغة",
    share: "النسبة",
    target: "إلى أين",
    dimension_names: [
        "لم يعمل كما وُعد (الموثوقية)",
        "كان بطيئًا (الاستجابة)",
        "لم نبدُ أكفاء (الطمأنينة)",
        "لم نهتم (التعاطف)",
        "المكان أو المنتج أو المظهر (الملموسات)",
    ],
    to_fix_title: "إخفاقات يجب إصلاحها",
    nothing_to_fix: "لا شيء لإصلاحه: تم إصلاح كل الإخفاقات.",
    more_to_fix: Counted(&[
        (Zero, "يُعرض {n} إخفاق فقط؛ أصلح ما يُعرض لرؤية البقية."),
        (One, "يُعرض الإخفاق الأكثر إلحاحًا فقط؛ أصلحه لرؤية البقية."),
        (Two, "يُعرض الإخفاقان الأكثر إلحاحًا فقط؛ أصلحهما لرؤية البقية."),
        (Few, "تُعرض أكثر {n} إخفاقات إلحاحًا فقط؛ أصلحها لرؤية البقية."),
        (Many, "يُعرض أكثر {n} إخفاقًا إلحاحًا فقط؛ أصلحها لرؤية البقية."),
        (Other, "يُعرض أكثر {n} إخفاق إلحاحًا فقط؛ أصلحها لرؤية البقية."),
    ]),
    status_open: "مفتوح",
    status_acknowledged: "تم الإقرار",
    status_fixed: "تم الإصلاح",
    rating: "التقييم",
    what_went_wrong: "ما الخطأ الذي حدث",
    contact: "جهة الاتصال (بموافقة العميل)",
    no_contact: "لم تُترك جهة اتصال",
    received: "وصل في",
    sla_on_time: "ضمن اتفاقية مستوى الخدمة",
    sla_ack_overdue: "تأخر الإقرار",
    sla_fix_overdue: "تأخر الإصلاح",
    ack_due: "الإقرار قبل",
    fix_due: "الإصلاح قبل",
    callback_state: "الاستدعاءات",
    no_callbacks_sent: "لم يُرسل شيء",
    acknowledge: "إقرار",
    fix: "وضع علامة «تم الإصلاح»",
    fix_note: "ما الذي تم (اختياري، يُحفظ مع السجل)",
    reply_label: "الرد على العميل (يراه في زيارته القادمة)",
    send_reply: "إرسال الرد",
    your_reply: "ردك",
    delete: "حذف",
    delete_confirm: "احذف هذا السجل وبيانات الاتصال نهائيًا",
    praise_title: "الثناء",
    no_praise: "لا يوجد ثناء في هذه الفترة بعد.",
    callbacks_title: "حالة الاستدعاءات",
    no_endpoints: "لا توجد عناوين استدعاء بعد. أضف عنوانًا: POST /v1/sites/{site}/callbacks (انظر README).",
    endpoint: "العنوان",
    endpoint_status: "الحالة",
    last_delivery: "آخر تسليم",
    failed_deliveries: "تسليمات فاشلة",
    replay: "إرسال مجددًا",
    delivery_states: ["قيد الانتظار", "تم التسليم", "فشل", "أُلغي"],
    endpoint_statuses: ["نشط", "متعثر", "معطّل"],
    attempts: Counted(&[
        (Zero, "{n} محاولة"),
        (One, "محاولة واحدة"),
        (Two, "محاولتان"),
        (Few, "{n} محاولات"),
        (Many, "{n} محاولة"),
        (Other, "{n} محاولة"),
    ]),
    none: "لا شيء",
    done_acknowledged: "تم الإقرار.",
    done_fixed: "تم وضع علامة الإصلاح. سيُسأل العميل عن رأيه الآن.",
    done_replied: "تم حفظ الرد. سيراه العميل في زيارته القادمة.",
    done_deleted: "تم حذف السجل.",
    done_replayed: "أُرسل مجددًا؛ النتيجة أدناه.",
    error_title: "لم ينجح ذلك",
    error_forbidden: "انتهت صلاحية هذا النموذج أو لم يُرسل من صفحة الملخص الخاصة بك. أعد تحميل الصفحة وحاول مرة أخرى.",
    error_not_found: "لم يعد هذا السجل أو التسليم موجودًا؛ ربما حُذف في هذه الأثناء.",
    error_conflict: "لم يعد بالإمكان تنفيذ ذلك: تغيّر السجل أو التسليم منذ تحميل الصفحة.",
    error_too_large: "النموذج كبير جدًا. اختصر النص وحاول مرة أخرى.",
    error_confirm: "ضع علامة في المربع لتأكيد حذف السجل وبيانات الاتصال الخاصة به.",
    error_invalid: "تحقق من الحقل «{field}»: النص مفقود أو طويل جدًا أو يحتوي على رموز لا يمكن حفظها (مثل رموز التحكم).",
    error_internal: "حدث خطأ من جهتنا. حاول مرة أخرى بعد دقيقة.",
    error_busy: "محاولات كثيرة في وقت قصير. انتظر دقيقة ثم حاول مرة أخرى.",
    error_request: "تعذّر على الصفحة معالجة هذا الطلب. ارجع وحاول مرة أخرى.",
    back: "العودة إلى الملخص",
    minutes: Counted(&[
        (Zero, "{n} دقيقة"),
        (One, "دقيقة واحدة"),
        (Two, "دقيقتان"),
        (Few, "{n} دقائق"),
        (Many, "{n} دقيقة"),
        (Other, "{n} دقيقة"),
    ]),
    hours: Counted(&[
        (Zero, "{n} ساعة"),
        (One, "ساعة واحدة"),
        (Two, "ساعتان"),
        (Few, "{n} ساعات"),
        (Many, "{n} ساعة"),
        (Other, "{n} ساعة"),
    ]),
    days: Counted(&[
        (Zero, "{n} يوم"),
        (One, "يوم واحد"),
        (Two, "يومان"),
        (Few, "{n} أيام"),
        (Many, "{n} يومًا"),
        (Other, "{n} يوم"),
    ]),
    unit_joiner: " و",
    language_names: ["الإنجليزية", "الإستونية", "الفنلندية", "البولندية", "الروسية", "العربية"],
};

/// The page's words in `lang`.
pub fn of(lang: Lang) -> &'static PageStrings {
    match lang {
        Lang::En => &EN,
        Lang::Et => &ET,
        Lang::Fi => &FI,
        Lang::Pl => &PL,
        Lang::Ru => &RU,
        Lang::Ar => &AR,
    }
}

/// The table for the best language in an `Accept-Language` header (q-values honoured; of equal
/// ones, the first), or English.
pub fn negotiate(accept_language: &str) -> &'static PageStrings {
    let mut best: Option<(u32, Lang)> = None;
    for part in accept_language.split(',') {
        let mut pieces = part.split(';');
        let Some(lang) = Lang::from_tag(pieces.next().unwrap_or_default()) else { continue };
        let quality = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .map_or(1000, |q| (q.clamp(0.0, 1.0) * 1000.0) as u32);
        if quality > 0 && best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, lang));
        }
    }
    of(best.map_or(Lang::En, |(_, lang)| lang))
}

/// A key's texts, as the translation tests see them.
#[cfg(test)]
#[derive(Debug)]
enum Texts {
    Plain(Vec<&'static str>),
    Counted(Counted),
}

#[cfg(test)]
trait AsTexts {
    fn as_texts(&self) -> Texts;
}

#[cfg(test)]
impl AsTexts for &'static str {
    fn as_texts(&self) -> Texts {
        Texts::Plain(vec![*self])
    }
}

#[cfg(test)]
impl AsTexts for Lang {
    fn as_texts(&self) -> Texts {
        Texts::Plain(vec![self.code()])
    }
}

#[cfg(test)]
impl<const N: usize> AsTexts for [&'static str; N] {
    fn as_texts(&self) -> Texts {
        Texts::Plain(self.to_vec())
    }
}

#[cfg(test)]
impl AsTexts for Counted {
    fn as_texts(&self) -> Texts {
        Texts::Counted(*self)
    }
}

#[cfg(test)]
impl Texts {
    fn of(value: &impl AsTexts) -> Self {
        value.as_texts()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_default_and_is_chosen_by_quality() {
        assert_eq!(negotiate("").lang, Lang::En);
        assert_eq!(negotiate("de-DE,de;q=0.9").lang, Lang::En);
        assert_eq!(negotiate("en-GB;q=0.5, xx").lang, Lang::En);
        assert_eq!(negotiate("de, fi-FI;q=0.8, en;q=0.7").lang, Lang::Fi);
        assert_eq!(negotiate("en;q=0.4, ar-EG").dir, "rtl");
        assert_eq!(negotiate("et;q=0, pl;q=0.1").lang, Lang::Pl);
        assert_eq!(negotiate("RU-ru;q=0.9, ET;q=0.9").lang, Lang::Ru);
        for lang in Lang::ALL {
            assert_eq!(of(lang).lang, lang, "{lang}'s table");
        }
    }

    #[test]
    fn counted_phrases_take_the_form_of_their_number() {
        assert_eq!(EN.count(EN.last_days, 7), "Last 7 days");
        assert_eq!(EN.count(EN.last_days, 1), "Last day");
        let russian: Vec<String> = [1, 2, 5, 11, 21, 22, 25, 111, 1234].map(|n| RU.count(RU.days, n)).into();
        assert_eq!(
            russian,
            ["1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня", "25 дней", "111 дней", "1\u{a0}234 дня"]
        );
        let polish: Vec<String> = [1, 2, 5, 12, 22, 101].map(|n| PL.count(PL.hours, n)).into();
        assert_eq!(polish, ["1 godzina", "2 godziny", "5 godzin", "12 godzin", "22 godziny", "101 godzin"]);
        let arabic: Vec<String> = [0, 1, 2, 3, 11, 100, 103].map(|n| AR.count(AR.days, n)).into();
        assert_eq!(arabic, ["0 يوم", "يوم واحد", "يومان", "3 أيام", "11 يومًا", "100 يوم", "103 أيام"]);
        assert_eq!(ET.count(ET.promoters, 1), "1 soovitaja");
        assert_eq!(FI.count(FI.minutes, 30), "30 minuuttia");
        assert_eq!(ET.language_name("et"), "eesti (et)");
        assert_eq!(AR.language_name("xx-YY"), "xx-YY");
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

    /// Whether exactly one whole number falls in `category` in `lang` (English `one` is 1 only;
    /// Russian `one` is 1, 21, 31, …), so its form may leave the number out.
    fn holds_one_number(lang: Lang, category: plural::Category) -> bool {
        (0..=1_000u64).filter(|n| plural::cardinal(lang, *n) == category).count() == 1
    }

    /// Every language has every key (the struct makes a missing key a compile error; this checks
    /// that none is empty), with the placeholders English has, and every counted phrase has
    /// exactly the plural forms of its language, each with one `{n}` (or none where a form
    /// stands for one number only).
    #[test]
    fn every_key_is_translated_with_the_same_placeholders_and_the_right_plural_forms() {
        let english = EN.keyed();
        for table in Lang::ALL.map(of) {
            let keyed = table.keyed();
            let keys: Vec<&str> = keyed.iter().map(|(key, _)| *key).collect();
            assert!(keys.iter().copied().eq(english.iter().map(|(key, _)| *key)), "{}: same keys", table.lang);
            assert_eq!(table.dir, table.lang.dir(), "{}", table.lang);
            for ((key, texts), (_, english_texts)) in keyed.iter().zip(&english) {
                match (texts, english_texts) {
                    (Texts::Plain(texts), Texts::Plain(english_texts)) => {
                        assert_eq!(texts.len(), english_texts.len(), "{} {key}", table.lang);
                        for (text, english_text) in texts.iter().zip(english_texts) {
                            let blank = if *key == "unit_joiner" { text.is_empty() } else { text.trim().is_empty() };
                            assert!(!blank, "{} {key} is empty", table.lang);
                            assert_eq!(placeholders(text), placeholders(english_text), "{} {key}", table.lang);
                        }
                    }
                    (Texts::Counted(counted), Texts::Counted(_)) => {
                        let forms: Vec<plural::Category> = counted.0.iter().map(|(c, _)| *c).collect();
                        assert_eq!(forms, plural::categories(table.lang), "{} {key}: plural forms", table.lang);
                        for (category, text) in counted.0 {
                            assert!(!text.trim().is_empty(), "{} {key} {category:?} is empty", table.lang);
                            let found = placeholders(text);
                            let expected: &[&[&str]] =
                                if holds_one_number(table.lang, *category) { &[&["{n}"], &[]] } else { &[&["{n}"]] };
                            assert!(
                                expected.contains(&found.as_slice()),
                                "{} {key} {category:?}: placeholders {found:?} in {text:?}",
                                table.lang
                            );
                        }
                    }
                    _ => panic!("{} {key}: a different kind of text than English", table.lang),
                }
            }
        }
    }

    /// Code that reads the tables (tests excluded): the page, its charts and the Worker's page
    /// module, which picks the notices. Named from the crate's root, so moving this file does
    /// not move them.
    fn readers() -> Vec<&'static str> {
        let without_tests = |source: &'static str| source.split("#[cfg(test)]").next().unwrap_or_default();
        let own = include_str!("page.rs");
        let own_impl = own.split("page_strings! {").nth(1).unwrap_or_default();
        vec![
            without_tests(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/owner_page.rs"))),
            without_tests(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/charts.rs"))),
            without_tests(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../worker/src/page.rs"))),
            without_tests(own_impl),
        ]
    }

    /// Whether `source` reads `key` from a table: `s.key`, `strings.key` or `self.key`, not
    /// `summary.days`.
    fn reads(source: &str, key: &str) -> bool {
        let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        source.match_indices(&format!(".{key}")).any(|(at, found)| {
            let after = source[at + found.len()..].chars().next().is_none_or(|c| !ident(c));
            let before = &source[..at];
            let receiver = &before[before.rfind(|c: char| !ident(c)).map_or(0, |i| i + 1)..];
            after && matches!(receiver, "s" | "strings" | "self")
        })
    }

    /// No key is dead weight: each is read somewhere outside the tables and the tests.
    #[test]
    fn every_key_is_used() {
        let readers = readers();
        let unused: Vec<&str> =
            EN.keyed().into_iter().map(|(key, _)| key).filter(|key| !readers.iter().any(|s| reads(s, key))).collect();
        assert!(unused.is_empty(), "keys no code reads: {unused:?}");
        assert!(reads("x = s.days;", "days") && !reads("summary.days", "days") && !reads("s.days_x", "days"));
    }
}
