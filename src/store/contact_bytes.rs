//! A contact's stored form: a compact binary layout in place of JSON.
//!
//! A million contacts are most of a large log, and as JSON each spent about 450 of its 670
//! bytes on field names, ids written as 32 hex digits and times as text. This layout writes ids
//! as 16 bytes, times and counts as variable-length integers, and kinds as one byte. Contacts
//! written as JSON by earlier versions are still read (JSON starts with `{`).
//!
//! Layout 1, after the marker byte: id, author, first author (a flag byte, then the id when
//! set), revision, created, updated, deleted; then the time, neighborhood, place, kind, people,
//! unnamed count, who started it, topics, tone and note. Ids are 16 bytes big-endian; times
//! are seconds (zigzag) then nanoseconds; counts and lengths are LEB128; text is UTF-8 after its
//! length. Nothing may follow the note.

use chrono::{DateTime, Utc};

use crate::model::{Contact, ContactKind, Id, Initiator, Meta, Tone};

/// The first byte of layout 1. Neither `{` (JSON) nor the tag of a sealed value.
const LAYOUT_1: u8 = 0xB1;

/// Who started a contact, by the byte it is stored as.
const INITIATORS: [Initiator; 2] = [Initiator::Resident, Initiator::Officer];

pub(crate) fn encode_contact(c: &Contact) -> Vec<u8> {
    // Taken apart field by field, so a field added to either struct fails to compile here
    // until the layout (and its version) covers it.
    let Contact {
        meta,
        at,
        neighborhood,
        place,
        kind,
        people,
        unnamed,
        initiated_by,
        tags,
        tone,
        note,
    } = c;
    let Meta {
        id,
        author,
        created_by,
        revision,
        created_at,
        updated_at,
        deleted,
    } = meta;
    let mut w = Writer(Vec::with_capacity(128 + note.len() + place.len()));
    w.0.push(LAYOUT_1);
    w.id(*id);
    w.id(*author);
    match created_by {
        Some(first) => {
            w.0.push(1);
            w.id(*first);
        }
        None => w.0.push(0),
    }
    w.number(u64::from(*revision));
    w.time(*created_at);
    w.time(*updated_at);
    w.0.push(u8::from(*deleted));
    w.time(*at);
    w.id(*neighborhood);
    w.text(place);
    w.0.push(position(&ContactKind::ALL, kind));
    w.ids(people);
    w.number(u64::from(*unnamed));
    w.0.push(position(&INITIATORS, initiated_by));
    w.ids(tags);
    w.0.push(position(&Tone::ALL, tone));
    w.text(note);
    w.0
}

/// Whether stored bytes are in the compact layout (else they are JSON).
pub(crate) fn is_compact(bytes: &[u8]) -> bool {
    bytes.first() == Some(&LAYOUT_1)
}

/// The contact in `bytes`, or why they are not one.
pub(crate) fn decode_contact(bytes: &[u8]) -> Result<Contact, &'static str> {
    let mut r = Reader(bytes);
    if r.byte()? != LAYOUT_1 {
        return Err("unknown layout");
    }
    let id = r.id()?;
    let author = r.id()?;
    let created_by = match r.byte()? {
        0 => None,
        1 => Some(r.id()?),
        _ => return Err("bad first-author flag"),
    };
    let revision = r.small_number()?;
    let created_at = r.time()?;
    let updated_at = r.time()?;
    let deleted = match r.byte()? {
        0 => false,
        1 => true,
        _ => return Err("bad deleted flag"),
    };
    let contact = Contact {
        meta: Meta {
            id,
            author,
            created_by,
            revision,
            created_at,
            updated_at,
            deleted,
        },
        at: r.time()?,
        neighborhood: r.id()?,
        place: r.text()?,
        kind: r.one_of(&ContactKind::ALL)?,
        people: r.ids()?,
        unnamed: r.small_number()?,
        initiated_by: r.one_of(&INITIATORS)?,
        tags: r.ids()?,
        tone: r.one_of(&Tone::ALL)?,
        note: r.text()?,
    };
    if !r.0.is_empty() {
        return Err("bytes after the note");
    }
    Ok(contact)
}

fn position<T: PartialEq>(all: &[T], item: &T) -> u8 {
    all.iter().position(|x| x == item).unwrap_or(0) as u8
}

struct Writer(Vec<u8>);

impl Writer {
    fn id(&mut self, id: Id) {
        self.0.extend_from_slice(&id.to_bytes());
    }

    fn number(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    fn time(&mut self, t: DateTime<Utc>) {
        let secs = t.timestamp();
        self.number(((secs << 1) ^ (secs >> 63)) as u64);
        self.number(u64::from(t.timestamp_subsec_nanos()));
    }

    fn text(&mut self, s: &str) {
        self.number(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn ids(&mut self, ids: &[Id]) {
        self.number(ids.len() as u64);
        for id in ids {
            self.id(*id);
        }
    }
}

struct Reader<'a>(&'a [u8]);

const CUT_SHORT: &str = "cut short";

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        if self.0.len() < n {
            return Err(CUT_SHORT);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, &'static str> {
        Ok(self.take(1)?[0])
    }

    fn id(&mut self) -> Result<Id, &'static str> {
        Id::from_bytes(self.take(16)?).ok_or(CUT_SHORT)
    }

    fn number(&mut self) -> Result<u64, &'static str> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err("number too long")
    }

    fn small_number(&mut self) -> Result<u32, &'static str> {
        u32::try_from(self.number()?).map_err(|_| "number too large")
    }

    fn length(&mut self) -> Result<usize, &'static str> {
        let n = usize::try_from(self.number()?).map_err(|_| CUT_SHORT)?;
        // A length longer than what is left is damage, not a reason to allocate.
        if n > self.0.len() {
            return Err(CUT_SHORT);
        }
        Ok(n)
    }

    fn time(&mut self) -> Result<DateTime<Utc>, &'static str> {
        let z = self.number()?;
        let secs = ((z >> 1) as i64) ^ -((z & 1) as i64);
        let nanos = u32::try_from(self.number()?).map_err(|_| "bad time")?;
        DateTime::from_timestamp(secs, nanos).ok_or("bad time")
    }

    fn text(&mut self) -> Result<String, &'static str> {
        let n = self.length()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| "text is not UTF-8")
    }

    fn ids(&mut self) -> Result<Vec<Id>, &'static str> {
        let n = self.length()?;
        (0..n).map(|_| self.id()).collect()
    }

    fn one_of<T: Copy>(&mut self, all: &[T]) -> Result<T, &'static str> {
        all.get(usize::from(self.byte()?))
            .copied()
            .ok_or("unknown choice")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn sample() -> Contact {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap()
            + chrono::Duration::nanoseconds(123_456_789);
        let mut meta = Meta::new(Id(u128::MAX - 5), Id(3), at);
        meta.created_by = Some(Id(4));
        meta.revision = 7;
        Contact {
            meta,
            at: Utc.with_ymd_and_hms(1969, 7, 20, 20, 17, 40).unwrap(),
            neighborhood: Id(9),
            place: "Elm St & 5th — Rosa's Bakery".into(),
            kind: ContactKind::PhoneOrMessage,
            people: vec![Id(1), Id(2)],
            unnamed: 300,
            initiated_by: Initiator::Resident,
            tags: vec![Id(u128::MAX)],
            tone: Tone::Warm,
            note: "Streetlight out again; promised to call public works. ✓".into(),
        }
    }

    #[test]
    fn a_contact_round_trips_and_is_far_smaller_than_json() {
        let c = sample();
        let bytes = encode_contact(&c);
        assert!(is_compact(&bytes));
        assert_eq!(decode_contact(&bytes), Ok(c.clone()));
        let json = serde_json::to_vec(&c).unwrap();
        assert!(
            bytes.len() * 2 < json.len(),
            "{} vs {}",
            bytes.len(),
            json.len()
        );

        let mut plain = c;
        plain.meta.created_by = None;
        plain.meta.deleted = true;
        plain.people.clear();
        plain.tags.clear();
        plain.note.clear();
        plain.place.clear();
        assert_eq!(decode_contact(&encode_contact(&plain)), Ok(plain));
    }

    #[test]
    fn damaged_bytes_are_refused_never_misread() {
        let bytes = encode_contact(&sample());
        for cut in 0..bytes.len() {
            assert!(decode_contact(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode_contact(&longer), Err("bytes after the note"));
        // A length far past the end allocates nothing.
        let mut huge = vec![LAYOUT_1];
        huge.extend_from_slice(&[0; 32]);
        huge.push(0);
        huge.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        assert!(decode_contact(&huge).is_err());
        assert!(!is_compact(b"{\"meta\":{}}"));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_read_or_refused_without_panic(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)
        ) {
            let mut bytes = vec![LAYOUT_1];
            bytes.extend(body);
            let _ = decode_contact(&bytes);
        }
    }
}
