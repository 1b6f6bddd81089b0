//! The owner's spreadsheet export: one CSV row per entry, every cell quoted, and customer text
//! that a spreadsheet would run as a formula neutralised. Times are [`crate::time::timestamp`]s,
//! as the API writes them.

use crate::entry::{Channel, Contact, Entry};
use crate::time::timestamp;

/// Header of the CSV export.
pub const CSV_HEADER: &str = "id,created_utc,scale,rating,kind,status,dimensions,comment,page,order,agent,contact_name,contact_email,contact_phone,channel,lang,acknowledged_utc,fixed_utc,fix_note,reply,rerating\r\n";

/// One CSV cell: quoted, quotes doubled, and a leading `= + - @` (or tab/CR) neutralised with an
/// apostrophe so spreadsheets never run customer text as a formula.
pub fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// One entry as a CSV row.
pub fn csv_row(entry: &Entry) -> String {
    let opt = |v: &Option<String>| csv_cell(v.as_deref().unwrap_or(""));
    let contact = entry.contact.clone().unwrap_or(Contact { name: None, email: None, phone: None, channel: None });
    let cells = [
        csv_cell(&entry.id),
        csv_cell(&timestamp(entry.created_ms)),
        csv_cell(&format!("{:?}", entry.scale).to_lowercase()),
        entry.rating.to_string(),
        csv_cell(&format!("{:?}", entry.kind).to_lowercase()),
        csv_cell(entry.status.map(|s| s.as_str()).unwrap_or("")),
        csv_cell(&entry.dimensions.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(" ")),
        csv_cell(&entry.comment),
        opt(&entry.touchpoint.page),
        opt(&entry.touchpoint.order),
        opt(&entry.touchpoint.agent),
        opt(&contact.name),
        opt(&contact.email),
        opt(&contact.phone),
        csv_cell(match contact.channel {
            Some(Channel::Email) => "email",
            Some(Channel::Phone) => "phone",
            None => "",
        }),
        csv_cell(&entry.lang),
        csv_cell(&entry.acknowledged_ms.map(timestamp).unwrap_or_default()),
        csv_cell(&entry.fixed_ms.map(timestamp).unwrap_or_default()),
        csv_cell(&entry.fix_note),
        csv_cell(entry.reply.as_ref().map(|r| r.text.as_str()).unwrap_or("")),
        entry.rerating.map(|r| r.rating.to_string()).unwrap_or_default(),
    ];
    format!("{}\r\n", cells.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "\"'+1\"");
        assert_eq!(csv_cell("@SUM"), "\"'@SUM\"");
        assert_eq!(csv_cell("fine, thanks"), "\"fine, thanks\"");
    }
}
