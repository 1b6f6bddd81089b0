//! The words of the follow-up after the customer has left: the customer's email, the hosted
//! receipt page (`/r/…`), the hosted feedback page (`/f/…`), and the owner's section of feedback
//! pages and QR codes on the summary page. One [`FollowUpStrings`] per language, so a language
//! with a missing key does not compile.
//!
//! What the customer already read in the widget is not translated twice: the status of their
//! failure, the owner's reply label, "We fixed it — how are we doing now?", the rating words and
//! "Please choose a rating first" come from the widget's table ([`FollowUpStrings::widget`]),
//! so the email, the page and the return visit say the same thing in the same words.
//!
//! `{site}`, `{name}` and `{url}` are placeholders, filled in (and escaped where the text goes
//! into HTML) by the renderers in [`crate::followup`].

use super::Lang;
use super::widget::{self, Text};

/// The follow-up's words in one language.
#[derive(Debug)]
pub struct FollowUpStrings {
    pub lang: Lang,
    /// Subject of the email after the owner replied.
    pub reply_subject: &'static str,
    /// Subject of the email after the owner fixed the failure.
    pub fixed_subject: &'static str,
    /// Greeting without a name, and with the name the customer gave.
    pub greeting: &'static str,
    pub greeting_named: &'static str,
    /// First line of the reply email.
    pub reply_intro: &'static str,
    /// Under the rating links: the choice is confirmed on the page (a link alone stores nothing).
    pub rate_hint: &'static str,
    /// The link to the receipt page.
    pub open_receipt: &'static str,
    /// Why the customer gets the email (consent, the address they gave).
    pub why: &'static str,
    /// The unsubscribe link's words.
    pub unsubscribe: &'static str,
    /// The receipt page: its title, the status heading, what comes once the failure is fixed,
    /// the confirm button, the customer's new rating.
    pub receipt_title: &'static str,
    pub status_heading: &'static str,
    pub reply_heading: &'static str,
    pub rate_later: &'static str,
    pub confirm: &'static str,
    pub your_new_rating: &'static str,
    /// A wrong, incomplete or expired link: says nothing of any entry.
    pub gone_title: &'static str,
    pub gone_text: &'static str,
    /// The unsubscribe page: the question, its button, and what is done.
    pub unsubscribe_title: &'static str,
    pub unsubscribe_text: &'static str,
    pub unsubscribe_button: &'static str,
    pub unsubscribed: &'static str,
    pub back_to_receipt: &'static str,
    /// The hosted feedback page.
    pub feedback_title: &'static str,
    pub feedback_intro: &'static str,
    pub noscript: &'static str,
    /// The owner's section on the summary page and its printable page per touchpoint.
    pub pages_heading: &'static str,
    pub pages_intro: &'static str,
    pub touchpoint: &'static str,
    pub whole_site: &'static str,
    pub link: &'static str,
    pub qr_code: &'static str,
    pub qr_alt: &'static str,
    pub printable: &'static str,
    pub new_touchpoint: &'static str,
    pub make_link: &'static str,
    pub print_hint: &'static str,
    pub scan_to_tell: &'static str,
}

impl FollowUpStrings {
    /// A string of the widget's table in this language (the words the customer already knows).
    pub fn widget(&self, text: Text) -> &'static str {
        widget::table(self.lang.code())[text as usize]
    }
}

/// The words of `lang`.
pub fn of(lang: Lang) -> &'static FollowUpStrings {
    lang.pick([&EN, &ET, &FI, &PL, &RU, &AR])
}

/// The words of the language a tag names (an entry's `lang`), English for any other.
pub fn of_tag(tag: &str) -> &'static FollowUpStrings {
    of(Lang::from_tag(tag).unwrap_or_default())
}

pub const EN: FollowUpStrings = FollowUpStrings {
    lang: Lang::En,
    reply_subject: "{site} answered your feedback",
    fixed_subject: "{site}: we fixed it — how are we doing now?",
    greeting: "Hello,",
    greeting_named: "Hello {name},",
    reply_intro: "{site} has answered the feedback you sent.",
    rate_hint: "Choose a rating; you confirm it on the page that opens.",
    open_receipt: "See your feedback and where it stands",
    why: "You get this email because you asked {site} to get back to you about your feedback and gave this address.",
    unsubscribe: "No more emails about this feedback",
    receipt_title: "Your feedback to {site}",
    status_heading: "Where it stands",
    reply_heading: "Reply from {site}",
    rate_later: "Once it is fixed, you can rate us again on this page.",
    confirm: "Confirm my rating",
    your_new_rating: "Your new rating:",
    gone_title: "Nothing to show",
    gone_text: "This link does not open any feedback. Check that you opened the whole link from the email; a link stops working when its feedback is deleted.",
    unsubscribe_title: "No more emails about this feedback?",
    unsubscribe_text: "{site} will send you no more emails about this feedback. This page stays open to you.",
    unsubscribe_button: "Stop the emails",
    unsubscribed: "Done: you will get no more emails about this feedback.",
    back_to_receipt: "Back to your feedback",
    feedback_title: "Feedback for {site}",
    feedback_intro: "Tell {site} how it went. The form opens by itself; if you closed it, press the Feedback button.",
    noscript: "The feedback form needs JavaScript. Turn it on, or tell the staff in person.",
    pages_heading: "Feedback pages and QR codes",
    pages_intro: "For places without a website (a counter, a receipt, a delivery): print a code or share its link. Feedback sent from it is counted under its touchpoint.",
    touchpoint: "Touchpoint",
    whole_site: "Whole site",
    link: "Link",
    qr_code: "QR code",
    qr_alt: "QR code that opens {url}",
    printable: "Printable page",
    new_touchpoint: "New touchpoint (for example counter-1)",
    make_link: "Make its link",
    print_hint: "Print this page, or save it as a PDF, and put it where customers see it.",
    scan_to_tell: "Scan to tell us how it went",
};

pub const ET: FollowUpStrings = FollowUpStrings {
    lang: Lang::Et,
    reply_subject: "{site} vastas teie tagasisidele",
    fixed_subject: "{site}: parandasime selle — kuidas meil nüüd läheb?",
    greeting: "Tere!",
    greeting_named: "Tere, {name}!",
    reply_intro: "{site} vastas tagasisidele, mille saatsite.",
    rate_hint: "Valige hinnang; kinnitate selle avanevas lehes.",
    open_receipt: "Vaadake oma tagasisidet ja selle seisu",
    why: "Saite selle kirja, sest palusite, et {site} teiega teie tagasiside asjus ühendust võtaks, ja andsite selle aadressi.",
    unsubscribe: "Ärge saatke selle tagasiside kohta rohkem kirju",
    receipt_title: "Teie tagasiside ettevõttele {site}",
    status_heading: "Seis",
    reply_heading: "Vastus ettevõttelt {site}",
    rate_later: "Kui see on parandatud, saate meid sellel lehel uuesti hinnata.",
    confirm: "Kinnitan hinnangu",
    your_new_rating: "Teie uus hinnang:",
    gone_title: "Midagi ei ole näidata",
    gone_text: "See link ei ava ühtegi tagasisidet. Kontrollige, et avasite kirjast kogu lingi; link lakkab töötamast, kui tagasiside kustutatakse.",
    unsubscribe_title: "Kas lõpetada kirjad selle tagasiside kohta?",
    unsubscribe_text: "{site} ei saada teile selle tagasiside kohta enam kirju. See leht jääb teile avatuks.",
    unsubscribe_button: "Lõpeta kirjad",
    unsubscribed: "Tehtud: te ei saa selle tagasiside kohta enam kirju.",
    back_to_receipt: "Tagasi oma tagasiside juurde",
    feedback_title: "Tagasiside ettevõttele {site}",
    feedback_intro: "Andke ettevõttele {site} teada, kuidas läks. Vorm avaneb ise; kui sulgesite selle, vajutage nuppu Tagasiside.",
    noscript: "Tagasisidevorm vajab JavaScripti. Lülitage see sisse või rääkige töötajatega kohapeal.",
    pages_heading: "Tagasisidelehed ja QR-koodid",
    pages_intro: "Kohtadele, kus veebilehte ei ole (lett, kviitung, kättetoimetamine): printige kood või jagage selle linki. Sealt saadetud tagasisidet loetakse selle kokkupuutepunkti alla.",
    touchpoint: "Kokkupuutepunkt",
    whole_site: "Kogu sait",
    link: "Link",
    qr_code: "QR-kood",
    qr_alt: "QR-kood, mis avab aadressi {url}",
    printable: "Prinditav leht",
    new_touchpoint: "Uus kokkupuutepunkt (näiteks lett-1)",
    make_link: "Loo selle link",
    print_hint: "Printige see leht või salvestage PDF-ina ja pange see kohta, kus kliendid seda näevad.",
    scan_to_tell: "Skannige ja andke teada, kuidas läks",
};

pub const FI: FollowUpStrings = FollowUpStrings {
    lang: Lang::Fi,
    reply_subject: "{site} vastasi palautteeseesi",
    fixed_subject: "{site}: korjasimme sen — miten onnistumme nyt?",
    greeting: "Hei,",
    greeting_named: "Hei {name},",
    reply_intro: "{site} on vastannut lähettämääsi palautteeseen.",
    rate_hint: "Valitse arvio; vahvistat sen avautuvalla sivulla.",
    open_receipt: "Katso palautteesi ja sen tilanne",
    why: "Saat tämän viestin, koska pyysit, että {site} ottaa sinuun yhteyttä palautteesi vuoksi, ja annoit tämän osoitteen.",
    unsubscribe: "Ei enää viestejä tästä palautteesta",
    receipt_title: "Palautteesi: {site}",
    status_heading: "Tilanne",
    reply_heading: "Vastaus: {site}",
    rate_later: "Kun asia on korjattu, voit arvioida meidät uudelleen tällä sivulla.",
    confirm: "Vahvista arvioni",
    your_new_rating: "Uusi arviosi:",
    gone_title: "Ei näytettävää",
    gone_text: "Tämä linkki ei avaa mitään palautetta. Tarkista, että avasit viestin koko linkin; linkki lakkaa toimimasta, kun sen palaute poistetaan.",
    unsubscribe_title: "Lopetetaanko viestit tästä palautteesta?",
    unsubscribe_text: "{site} ei lähetä sinulle enää viestejä tästä palautteesta. Tämä sivu pysyy avoinna sinulle.",
    unsubscribe_button: "Lopeta viestit",
    unsubscribed: "Valmis: et saa enää viestejä tästä palautteesta.",
    back_to_receipt: "Takaisin palautteeseesi",
    feedback_title: "Palaute: {site}",
    feedback_intro: "Kerro, miten asiointi sujui ({site}). Lomake avautuu itsestään; jos suljit sen, paina Palaute-painiketta.",
    noscript: "Palautelomake tarvitsee JavaScriptin. Ota se käyttöön tai kerro henkilökunnalle paikan päällä.",
    pages_heading: "Palautesivut ja QR-koodit",
    pages_intro: "Paikkoihin, joilla ei ole verkkosivua (tiski, kuitti, toimitus): tulosta koodi tai jaa sen linkki. Sen kautta tullut palaute lasketaan sen kohtaamispisteelle.",
    touchpoint: "Kohtaamispiste",
    whole_site: "Koko sivusto",
    link: "Linkki",
    qr_code: "QR-koodi",
    qr_alt: "QR-koodi, joka avaa osoitteen {url}",
    printable: "Tulostettava sivu",
    new_touchpoint: "Uusi kohtaamispiste (esimerkiksi tiski-1)",
    make_link: "Tee sen linkki",
    print_hint: "Tulosta tämä sivu tai tallenna se PDF-tiedostoksi ja laita se asiakkaiden nähtäville.",
    scan_to_tell: "Skannaa ja kerro, miten onnistuimme",
};

pub const PL: FollowUpStrings = FollowUpStrings {
    lang: Lang::Pl,
    reply_subject: "{site} odpowiada na Twoją opinię",
    fixed_subject: "{site}: naprawiliśmy to — jak teraz nam idzie?",
    greeting: "Dzień dobry,",
    greeting_named: "Dzień dobry, {name},",
    reply_intro: "{site} odpowiada na opinię, którą wysłałeś(-aś).",
    rate_hint: "Wybierz ocenę; potwierdzisz ją na stronie, która się otworzy.",
    open_receipt: "Zobacz swoją opinię i jej stan",
    why: "Otrzymujesz tę wiadomość, ponieważ poprosiłeś(-aś) {site} o kontakt w sprawie swojej opinii i podałeś(-aś) ten adres.",
    unsubscribe: "Nie wysyłaj więcej wiadomości o tej opinii",
    receipt_title: "Twoja opinia dla: {site}",
    status_heading: "Stan sprawy",
    reply_heading: "Odpowiedź od: {site}",
    rate_later: "Gdy sprawa zostanie naprawiona, możesz ocenić nas ponownie na tej stronie.",
    confirm: "Potwierdzam ocenę",
    your_new_rating: "Twoja nowa ocena:",
    gone_title: "Nic tu nie ma",
    gone_text: "Ten link nie otwiera żadnej opinii. Sprawdź, czy otworzyłeś(-aś) cały link z wiadomości; link przestaje działać, gdy opinia zostanie usunięta.",
    unsubscribe_title: "Zakończyć wiadomości o tej opinii?",
    unsubscribe_text: "{site} nie wyśle Ci już żadnych wiadomości o tej opinii. Ta strona pozostanie dla Ciebie dostępna.",
    unsubscribe_button: "Zakończ wiadomości",
    unsubscribed: "Gotowe: nie otrzymasz już wiadomości o tej opinii.",
    back_to_receipt: "Wróć do swojej opinii",
    feedback_title: "Opinia dla: {site}",
    feedback_intro: "Powiedz nam ({site}), jak poszło. Formularz otworzy się sam; jeśli go zamknąłeś(-aś), naciśnij przycisk Opinia.",
    noscript: "Formularz opinii wymaga JavaScriptu. Włącz go albo powiedz obsłudze na miejscu.",
    pages_heading: "Strony opinii i kody QR",
    pages_intro: "Dla miejsc bez strony internetowej (lada, paragon, dostawa): wydrukuj kod albo udostępnij jego link. Opinie wysłane stamtąd są liczone pod jego punktem kontaktu.",
    touchpoint: "Punkt kontaktu",
    whole_site: "Cała witryna",
    link: "Link",
    qr_code: "Kod QR",
    qr_alt: "Kod QR otwierający {url}",
    printable: "Strona do druku",
    new_touchpoint: "Nowy punkt kontaktu (na przykład lada-1)",
    make_link: "Utwórz jego link",
    print_hint: "Wydrukuj tę stronę lub zapisz ją jako PDF i umieść tam, gdzie widzą ją klienci.",
    scan_to_tell: "Zeskanuj i powiedz nam, jak poszło",
};

pub const RU: FollowUpStrings = FollowUpStrings {
    lang: Lang::Ru,
    reply_subject: "{site} ответил на ваш отзыв",
    fixed_subject: "{site}: мы всё исправили — как у нас дела теперь?",
    greeting: "Здравствуйте!",
    greeting_named: "Здравствуйте, {name}!",
    reply_intro: "{site} ответил на отзыв, который вы отправили.",
    rate_hint: "Выберите оценку; вы подтвердите её на открывшейся странице.",
    open_receipt: "Посмотреть ваш отзыв и его состояние",
    why: "Вы получили это письмо, потому что попросили {site} связаться с вами по поводу отзыва и указали этот адрес.",
    unsubscribe: "Больше не присылать писем об этом отзыве",
    receipt_title: "Ваш отзыв для {site}",
    status_heading: "Состояние",
    reply_heading: "Ответ от {site}",
    rate_later: "Когда всё будет исправлено, вы сможете оценить нас снова на этой странице.",
    confirm: "Подтвердить оценку",
    your_new_rating: "Ваша новая оценка:",
    gone_title: "Здесь ничего нет",
    gone_text: "Эта ссылка не открывает ни одного отзыва. Проверьте, что вы открыли ссылку из письма целиком; ссылка перестаёт работать, когда отзыв удалён.",
    unsubscribe_title: "Больше не присылать писем об этом отзыве?",
    unsubscribe_text: "{site} больше не пришлёт вам писем об этом отзыве. Эта страница останется доступна вам.",
    unsubscribe_button: "Не присылать письма",
    unsubscribed: "Готово: писем об этом отзыве больше не будет.",
    back_to_receipt: "Вернуться к вашему отзыву",
    feedback_title: "Отзыв для {site}",
    feedback_intro: "Расскажите {site}, как всё прошло. Форма откроется сама; если вы её закрыли, нажмите кнопку «Отзыв».",
    noscript: "Форме отзыва нужен JavaScript. Включите его или скажите сотрудникам на месте.",
    pages_heading: "Страницы отзывов и QR-коды",
    pages_intro: "Для мест без сайта (касса, чек, доставка): распечатайте код или поделитесь его ссылкой. Отзывы оттуда учитываются под его точкой контакта.",
    touchpoint: "Точка контакта",
    whole_site: "Весь сайт",
    link: "Ссылка",
    qr_code: "QR-код",
    qr_alt: "QR-код, открывающий {url}",
    printable: "Страница для печати",
    new_touchpoint: "Новая точка контакта (например, kassa-1)",
    make_link: "Создать ссылку",
    print_hint: "Распечатайте эту страницу или сохраните её в PDF и поместите туда, где её видят клиенты.",
    scan_to_tell: "Отсканируйте и расскажите, как всё прошло",
};

pub const AR: FollowUpStrings = FollowUpStrings {
    lang: Lang::Ar,
    reply_subject: "ردّ {site} على ملاحظاتك",
    fixed_subject: "{site}: أصلحنا المشكلة — كيف أداؤنا الآن؟",
    greeting: "مرحبًا،",
    greeting_named: "مرحبًا {name}،",
    reply_intro: "ردّ {site} على الملاحظات التي أرسلتها.",
    rate_hint: "اختر تقييمًا؛ ستؤكّده في الصفحة التي تُفتح.",
    open_receipt: "اطّلع على ملاحظاتك وما وصلت إليه",
    why: "تصلك هذه الرسالة لأنك طلبت من {site} التواصل معك بشأن ملاحظاتك وأعطيت هذا العنوان.",
    unsubscribe: "لا مزيد من الرسائل عن هذه الملاحظات",
    receipt_title: "ملاحظاتك إلى {site}",
    status_heading: "ما وصلت إليه",
    reply_heading: "الردّ من {site}",
    rate_later: "عندما تُصلَح المشكلة، يمكنك تقييمنا من جديد في هذه الصفحة.",
    confirm: "أؤكّد تقييمي",
    your_new_rating: "تقييمك الجديد:",
    gone_title: "لا شيء لعرضه",
    gone_text: "هذا الرابط لا يفتح أي ملاحظات. تأكّد من أنك فتحت الرابط كاملًا من الرسالة؛ يتوقف الرابط عن العمل عند حذف الملاحظات.",
    unsubscribe_title: "إيقاف الرسائل عن هذه الملاحظات؟",
    unsubscribe_text: "لن يرسل إليك {site} أي رسائل أخرى عن هذه الملاحظات. تبقى هذه الصفحة متاحة لك.",
    unsubscribe_button: "أوقف الرسائل",
    unsubscribed: "تمّ: لن تصلك رسائل أخرى عن هذه الملاحظات.",
    back_to_receipt: "العودة إلى ملاحظاتك",
    feedback_title: "ملاحظات إلى {site}",
    feedback_intro: "أخبر {site} كيف كانت تجربتك. يُفتح النموذج تلقائيًا؛ إن أغلقته فاضغط زر «ملاحظاتك».",
    noscript: "يحتاج نموذج الملاحظات إلى JavaScript. فعّله أو أخبر الموظفين مباشرة.",
    pages_heading: "صفحات الملاحظات ورموز QR",
    pages_intro: "للأماكن التي ليس لها موقع ويب (مكتب، إيصال، توصيل): اطبع رمزًا أو شارك رابطه. تُحسب الملاحظات المرسلة منه تحت نقطة التواصل الخاصة به.",
    touchpoint: "نقطة التواصل",
    whole_site: "الموقع كله",
    link: "الرابط",
    qr_code: "رمز QR",
    qr_alt: "رمز QR يفتح {url}",
    printable: "صفحة للطباعة",
    new_touchpoint: "نقطة تواصل جديدة (مثلًا counter-1)",
    make_link: "أنشئ رابطها",
    print_hint: "اطبع هذه الصفحة أو احفظها بصيغة PDF وضعها حيث يراها العملاء.",
    scan_to_tell: "امسح الرمز وأخبرنا كيف كانت تجربتك",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of a table with its text, in declaration order.
    fn keyed(s: &FollowUpStrings) -> Vec<(&'static str, &'static str)> {
        vec![
            ("reply_subject", s.reply_subject),
            ("fixed_subject", s.fixed_subject),
            ("greeting", s.greeting),
            ("greeting_named", s.greeting_named),
            ("reply_intro", s.reply_intro),
            ("rate_hint", s.rate_hint),
            ("open_receipt", s.open_receipt),
            ("why", s.why),
            ("unsubscribe", s.unsubscribe),
            ("receipt_title", s.receipt_title),
            ("status_heading", s.status_heading),
            ("reply_heading", s.reply_heading),
            ("rate_later", s.rate_later),
            ("confirm", s.confirm),
            ("your_new_rating", s.your_new_rating),
            ("gone_title", s.gone_title),
            ("gone_text", s.gone_text),
            ("unsubscribe_title", s.unsubscribe_title),
            ("unsubscribe_text", s.unsubscribe_text),
            ("unsubscribe_button", s.unsubscribe_button),
            ("unsubscribed", s.unsubscribed),
            ("back_to_receipt", s.back_to_receipt),
            ("feedback_title", s.feedback_title),
            ("feedback_intro", s.feedback_intro),
            ("noscript", s.noscript),
            ("pages_heading", s.pages_heading),
            ("pages_intro", s.pages_intro),
            ("touchpoint", s.touchpoint),
            ("whole_site", s.whole_site),
            ("link", s.link),
            ("qr_code", s.qr_code),
            ("qr_alt", s.qr_alt),
            ("printable", s.printable),
            ("new_touchpoint", s.new_touchpoint),
            ("make_link", s.make_link),
            ("print_hint", s.print_hint),
            ("scan_to_tell", s.scan_to_tell),
        ]
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> =
            text.match_indices('{').filter_map(|(i, _)| text[i..].split_once('}')).map(|(p, _)| p).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_language_has_every_key_with_the_placeholders_of_english() {
        let english = keyed(&EN);
        for lang in Lang::ALL {
            let strings = of(lang);
            assert_eq!(strings.lang, lang);
            for ((key, text), (_, en)) in keyed(strings).into_iter().zip(&english) {
                assert!(!text.trim().is_empty(), "{lang:?} {key} is empty");
                assert_eq!(placeholders(text), placeholders(en), "{lang:?} {key}: {text}");
                if lang != Lang::En && !matches!(key, "link") {
                    assert_ne!(text, *en, "{lang:?} {key} is still English");
                }
            }
        }
    }

    #[test]
    fn an_entry_tag_picks_its_language_and_anything_else_english() {
        assert_eq!(of_tag("ar-EG").lang, Lang::Ar);
        assert_eq!(of_tag("ru").lang, Lang::Ru);
        assert_eq!(of_tag("de-AT").lang, Lang::En);
        assert_eq!(of(Lang::Fi).widget(Text::RerateQuestion), widget::FI[Text::RerateQuestion as usize]);
    }
}
