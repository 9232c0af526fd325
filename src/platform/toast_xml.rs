//! What a reminder looks like as a Windows toast: the toast XML built from a
//! [`Notice`], the activation arguments its body and buttons carry and how
//! they are read back, and the app identity toasts are shown under. Pure
//! functions, compiled on every platform so their tests run on every build
//! machine, not only on Windows.

use super::notice::{CloseReason, Notice, NoticeAction};
use crate::core::model::ReminderKind;
use crate::core::text_format::escape_markup as escape_xml;

/// The AppUserModelID toasts are shown under, registered for the current
/// user with the app's name and icon (and set on the Start-menu shortcut the
/// installer makes), so Windows names the sender "Rebalance".
pub const APP_USER_MODEL_ID: &str = "Rebalance.Rebalance";

/// The registry key, under HKEY_CURRENT_USER, that gives
/// [`APP_USER_MODEL_ID`] its display name and icon.
pub fn app_user_model_key() -> String {
    format!(r"Software\Classes\AppUserModelId\{APP_USER_MODEL_ID}")
}

/// The toast group all reminders share, so they can be withdrawn by tag.
pub const TOAST_GROUP: &str = "reminders";

/// The sound a reminder asks for when sound is on.
const TOAST_SOUND: &str = "ms-winsoundevent:Notification.Reminder";

/// The tag of the toast for notification `id` (unique within the group; a
/// toast shown again with the same tag replaces the old one in place).
pub fn toast_tag(id: u32) -> String {
    id.to_string()
}

/// What a click on a toast or one of its buttons means, read back from its
/// activation arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToastActivation {
    /// The notification id the toast was shown as.
    pub id: u32,
    /// The reminder it is about.
    pub kind: ReminderKind,
    /// What was chosen (the body click is [`NoticeAction::Open`]).
    pub action: NoticeAction,
}

/// The activation arguments of the body (`Open`) or a button of the toast
/// shown as notification `id` for a reminder of `kind`.
pub fn activation_arguments(id: u32, kind: ReminderKind, action: NoticeAction) -> String {
    format!("action={};kind={};id={id}", action.key(), kind.as_str())
}

/// Reads arguments made by [`activation_arguments`]; `None` for anything
/// else (another app's or an older version's toast).
pub fn parse_activation(arguments: &str) -> Option<ToastActivation> {
    let (mut action, mut kind, mut id) = (None, None, None);
    for pair in arguments.split(';') {
        let (name, value) = pair.split_once('=')?;
        match name {
            "action" => action = Some(NoticeAction::from_key(value)?),
            "kind" => kind = Some(ReminderKind::parse(value)?),
            "id" => id = Some(value.parse().ok()?),
            _ => return None,
        }
    }
    Some(ToastActivation {
        id: id?,
        kind: kind?,
        action: action?,
    })
}

/// The toast XML for `notice` shown as notification `id`: title and body,
/// one button per answer (the body click opens the matching window, as on
/// Linux), the "reminder" scenario so it stays on screen until answered
/// (the engine decides when an unanswered reminder expires), and silent
/// when the notice asks for no sound (sound off, or held back until the
/// limit while the user is still busy).
pub fn toast_xml(notice: &Notice, id: u32) -> String {
    let arguments = |action| escape_xml(&activation_arguments(id, notice.kind, action));
    let mut xml = format!(
        r#"<toast launch="{}" activationType="foreground" scenario="reminder">"#,
        arguments(NoticeAction::Open)
    );
    xml.push_str(r#"<visual><binding template="ToastGeneric">"#);
    xml.push_str(&format!("<text>{}</text>", escape_xml(&notice.title)));
    xml.push_str(&format!("<text>{}</text>", escape_xml(&notice.body)));
    xml.push_str("</binding></visual>");
    let buttons: Vec<_> = notice
        .actions
        .iter()
        .filter(|button| button.action != NoticeAction::Open)
        .collect();
    if !buttons.is_empty() {
        xml.push_str("<actions>");
        for button in buttons {
            xml.push_str(&format!(
                r#"<action content="{}" arguments="{}" activationType="foreground"/>"#,
                escape_xml(&button.label),
                arguments(button.action)
            ));
        }
        xml.push_str("</actions>");
    }
    if notice.sound {
        xml.push_str(&format!(r#"<audio src="{TOAST_SOUND}"/>"#));
    } else {
        xml.push_str(r#"<audio silent="true"/>"#);
    }
    xml.push_str("</toast>");
    xml
}

/// What a toast's `Dismissed` event means for the daemon, from the
/// `ToastDismissalReason` code: the user closed it (0) or we withdrew it
/// (1). A time-out (2) only moved it to the Action Center, where its
/// buttons still answer, so it is not a close.
pub fn dismissal_close_reason(code: i32) -> Option<CloseReason> {
    match code {
        0 => Some(CloseReason::Dismissed),
        1 => Some(CloseReason::Closed),
        2 => None,
        other => Some(CloseReason::Other(other.unsigned_abs())),
    }
}

/// A Windows `DateTime` (100 ns ticks since 1601-01-01 UTC) for
/// `unix_seconds` seconds after 1970-01-01 UTC.
pub fn windows_ticks(unix_seconds: i64) -> i64 {
    /// Seconds from 1601-01-01 to 1970-01-01.
    const EPOCH_GAP_S: i64 = 11_644_473_600;
    (unix_seconds + EPOCH_GAP_S).saturating_mul(10_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::Answer;
    use crate::platform::notice::notice_for;
    use crate::platform::notice::tests::pending as test_pending;
    use std::time::Duration;

    fn notice(kind: ReminderKind, can_snooze: bool, sound: bool) -> Notice {
        notice_for(
            &test_pending(kind, can_snooze),
            "Posture check",
            "Hips back, shoulders down.",
            Duration::from_secs(600),
            sound,
        )
    }

    /// One element of the toast, as an XML parser reads it.
    #[derive(Debug)]
    struct Element {
        name: String,
        attributes: Vec<(String, String)>,
        text: String,
    }

    impl Element {
        fn attribute(&self, name: &str) -> Option<&str> {
            self.attributes
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
    }

    /// The elements of `xml` in document order, with attribute values and
    /// text unescaped; panics if it is not well-formed XML.
    fn parse(xml: &str) -> Vec<Element> {
        use quick_xml::events::{BytesStart, Event};
        let element = |e: &BytesStart| Element {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            attributes: e
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned(),
                    )
                })
                .collect(),
            text: String::new(),
        };
        let mut reader = quick_xml::Reader::from_str(xml);
        let (mut elements, mut open) = (Vec::new(), Vec::new());
        loop {
            match reader.read_event().expect("well-formed toast XML") {
                Event::Start(e) => {
                    open.push(elements.len());
                    elements.push(element(&e));
                }
                Event::Empty(e) => elements.push(element(&e)),
                Event::End(_) => {
                    open.pop();
                }
                Event::Text(t) => {
                    let i = *open.last().expect("text inside an element");
                    elements[i].text.push_str(&t.decode().unwrap());
                }
                Event::GeneralRef(r) => {
                    let name = r.decode().unwrap();
                    let i = *open.last().expect("text inside an element");
                    match name.strip_prefix('#') {
                        Some(code) => {
                            let code = match code.strip_prefix('x') {
                                Some(hex) => u32::from_str_radix(hex, 16),
                                None => code.parse(),
                            };
                            let c = char::from_u32(code.expect("a number")).expect("a char");
                            elements[i].text.push(c);
                        }
                        None => elements[i].text.push_str(
                            quick_xml::escape::resolve_predefined_entity(&name)
                                .expect("a predefined entity"),
                        ),
                    }
                }
                Event::Eof => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(open.is_empty(), "every element is closed");
        elements
    }

    fn named<'a>(elements: &'a [Element], name: &str) -> Vec<&'a Element> {
        elements.iter().filter(|e| e.name == name).collect()
    }

    /// The label of every button, in order.
    fn buttons(xml: &str) -> Vec<String> {
        named(&parse(xml), "action")
            .iter()
            .map(|a| a.attribute("content").unwrap().to_owned())
            .collect()
    }

    /// The decoded activation arguments of every button, in order.
    fn button_arguments(xml: &str) -> Vec<ToastActivation> {
        named(&parse(xml), "action")
            .iter()
            .map(|a| parse_activation(a.attribute("arguments").unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn each_kind_gets_the_buttons_it_has_on_linux() {
        assert_eq!(
            buttons(&toast_xml(
                &notice(ReminderKind::PostureCheck, true, true),
                1
            )),
            ["All good", "Fixed it", "Snooze"]
        );
        assert_eq!(
            buttons(&toast_xml(&notice(ReminderKind::MoveBreak, true, true), 2)),
            ["Start break", "Snooze 10 min", "Skip"]
        );
        assert_eq!(
            buttons(&toast_xml(&notice(ReminderKind::Routine, true, true), 3)),
            ["Start routine", "Later", "Skip today"]
        );
        assert_eq!(
            buttons(&toast_xml(
                &notice(ReminderKind::PostureCheck, false, true),
                4
            )),
            ["All good", "Fixed it"],
            "no snooze button once snoozing is used up"
        );
    }

    #[test]
    fn buttons_carry_kind_action_and_notification_id() {
        let xml = toast_xml(&notice(ReminderKind::MoveBreak, true, true), 42);
        let decoded = button_arguments(&xml);
        let expect = |action| ToastActivation {
            id: 42,
            kind: ReminderKind::MoveBreak,
            action,
        };
        assert_eq!(
            decoded,
            [
                expect(NoticeAction::Start),
                expect(NoticeAction::Answer(Answer::Snooze)),
                expect(NoticeAction::Answer(Answer::Skip)),
            ]
        );
    }

    #[test]
    fn a_click_on_the_body_opens_the_matching_window() {
        let xml = toast_xml(&notice(ReminderKind::Routine, true, true), 7);
        let elements = parse(&xml);
        let toast = &named(&elements, "toast")[0];
        let launch = parse_activation(toast.attribute("launch").unwrap()).unwrap();
        assert_eq!(
            launch,
            ToastActivation {
                id: 7,
                kind: ReminderKind::Routine,
                action: NoticeAction::Open
            }
        );
        assert!(
            !buttons(&xml).contains(&"Open".to_owned()),
            "the body click is no button"
        );
    }

    #[test]
    fn title_and_body_are_the_reminder_text() {
        let mut n = notice(ReminderKind::PostureCheck, true, true);
        n.title = "Hips & knees".into();
        n.body = "Keep <90°> \"level\" & 'loose'".into();
        n.actions[1].label = "All \"good\" & <done>".into();
        let xml = toast_xml(&n, 1);
        let elements = parse(&xml);
        let texts: Vec<&str> = named(&elements, "text")
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(texts, ["Hips & knees", "Keep <90°> \"level\" & 'loose'"]);
        assert_eq!(buttons(&xml)[0], "All \"good\" & <done>");
    }

    #[test]
    fn stays_on_screen_as_a_reminder() {
        let elements = parse(&toast_xml(
            &notice(ReminderKind::PostureCheck, true, true),
            1,
        ));
        let toast = &named(&elements, "toast")[0];
        assert_eq!(toast.attribute("scenario"), Some("reminder"));
        assert_eq!(toast.attribute("activationType"), Some("foreground"));
        for action in named(&elements, "action") {
            assert_eq!(action.attribute("activationType"), Some("foreground"));
        }
    }

    #[test]
    fn silent_when_sound_is_off_or_the_reminder_was_held_quiet() {
        let audio = |sound| {
            let elements = parse(&toast_xml(
                &notice(ReminderKind::PostureCheck, true, sound),
                1,
            ));
            let audio = named(&elements, "audio");
            assert_eq!(audio.len(), 1);
            (
                audio[0].attribute("silent").map(str::to_owned),
                audio[0].attribute("src").map(str::to_owned),
            )
        };
        assert_eq!(audio(true), (None, Some(TOAST_SOUND.to_owned())));
        assert_eq!(audio(false), (Some("true".to_owned()), None));
    }

    #[test]
    fn foreign_or_damaged_arguments_are_ignored() {
        for text in [
            "",
            "action=default",
            "action=default;kind=routine",
            "action=nap;kind=routine;id=1",
            "action=default;kind=nap;id=1",
            "action=default;kind=routine;id=-1",
            "action=default;kind=routine;id=1;extra=2",
            "https://example.invalid/",
        ] {
            assert_eq!(parse_activation(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_time_out_is_not_a_close_but_the_users_dismissal_is() {
        assert_eq!(dismissal_close_reason(0), Some(CloseReason::Dismissed));
        assert_eq!(dismissal_close_reason(1), Some(CloseReason::Closed));
        assert_eq!(dismissal_close_reason(2), None);
    }

    #[test]
    fn windows_ticks_count_from_1601() {
        assert_eq!(windows_ticks(0), 116_444_736_000_000_000);
        assert_eq!(windows_ticks(1), 116_444_736_010_000_000);
    }

    #[test]
    fn the_identity_key_is_under_the_users_classes() {
        assert_eq!(
            app_user_model_key(),
            r"Software\Classes\AppUserModelId\Rebalance.Rebalance"
        );
    }
}
