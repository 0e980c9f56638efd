//! Facts about a file beyond its content: its label, encryption, marking and destination,
//! and whether a rule's conditions on them hold.

use super::marking::{MarkingFacts, marking_facts};
use super::rules::When;
use super::seen::Seen;
use super::subject::{Context, Subject};
use crate::config::{Config, Destination};
use crate::model::{Class, Tenant};

/// Facts about a file beyond its content: label, encryption, marking, destination.
pub(super) struct Facts<'a> {
    pub(super) report: Subject<'a>,
    pub(super) class: Option<Class>,
    pub(super) required: Option<Class>,
    pub(super) marking: MarkingFacts,
    pub(super) destination: Option<&'a Destination>,
    /// The highest class allowed where the file goes: Strengt beskyttet on the allow-list,
    /// whatever broader pattern matches too; else the destination's `max_class`.
    pub(super) ceiling: Option<Class>,
    pub(super) destination_known: bool,
    pub(super) strict_allowed: bool,
    pub(super) conflict: bool,
    pub(super) downgraded: bool,
}

impl<'a> Facts<'a> {
    pub(super) fn of(
        report: Subject<'a>,
        seen: &Seen,
        cx: &Context<'a>,
        required: Option<Class>,
        config: &'a Config,
    ) -> Facts<'a> {
        let class = report.label.as_ref().and_then(|l| l.class);
        let destination = cx.destination.and_then(|d| config.destination(d));
        let strict_allowed = cx.destination.is_some_and(|d| config.strict_allowed(d));
        let ceiling = if strict_allowed {
            Some(Class::StrengtBeskyttet)
        } else {
            destination.and_then(|d| d.max_class)
        };
        Facts {
            ceiling,
            report,
            class,
            required,
            marking: marking_facts(&report, seen, cx.catalogue, config),
            destination,
            destination_known: cx.destination_given || destination.is_some(),
            strict_allowed,
            conflict: label_conflict(&report),
            downgraded: cx
                .previous_class
                .is_some_and(|before| class.is_none_or(|now| now < before)),
        }
    }

    pub(super) fn hold(&self, w: &When) -> bool {
        let r = &self.report;
        let class = self.class;
        let parse = |c: &Option<String>| c.as_deref().and_then(Class::parse);
        let status = Some(r.label_status.id());
        if let Some(s) = &w.label_status
            && !status.is_some_and(|st| s.iter().any(|x| x == st))
        {
            return false;
        }
        if let Some(c) = &w.label_class
            && !class.is_some_and(|cl| c.iter().any(|x| Class::parse(x) == Some(cl)))
        {
            return false;
        }
        if let Some(below) = parse(&w.label_below)
            && class.is_some_and(|cl| cl >= below)
        {
            return false;
        }
        if let Some(u) = w.label_unknown {
            let unknown = r.label.as_ref().is_some_and(|l| l.class.is_none());
            if u != unknown {
                return false;
            }
        }
        if let Some(p) = w.label_parent
            && p != r.label.as_ref().is_some_and(|l| l.is_parent)
        {
            return false;
        }
        if let Some(m) = &w.label_method {
            let method = r.label.as_ref().and_then(|l| l.method.as_deref());
            if !method.is_some_and(|x| m.iter().any(|y| y.eq_ignore_ascii_case(x))) {
                return false;
            }
        }
        if let Some(e) = &w.encryption
            && !e.iter().any(|x| x == r.encryption.id())
        {
            return false;
        }
        let have = r.label.as_ref().and_then(|l| l.content_bits).unwrap_or(0);
        let words = crate::model::content_bits_words(have);
        let any_bit = |bits: &[String]| bits.iter().any(|b| words.iter().any(|w| w == b));
        if w.content_bits.as_deref().is_some_and(|b| !any_bit(b))
            || w.not_content_bits.as_deref().is_some_and(any_bit)
        {
            return false;
        }
        let effective = class.max(self.required);
        let at_least = |c: Option<Class>, min: &Option<String>| {
            parse(min).is_none_or(|m| c.is_some_and(|c| c >= m))
        };
        let checks = [
            w.label_conflict.is_none_or(|x| x == self.conflict),
            w.downgraded.is_none_or(|x| x == self.downgraded),
            at_least(self.required, &w.required_at_least),
            at_least(effective, &w.class_at_least),
            w.required_above_label
                .is_none_or(|x| x == (self.required > class)),
            w.marking
                .as_ref()
                .is_none_or(|m| m.iter().any(|x| self.marking.facts.contains(x.as_str()))),
            w.destination_known
                .is_none_or(|x| x == self.destination_known),
            w.destination_exceeded.is_none_or(|x| {
                let max = self.ceiling;
                // Strengt beskyttet where the allow-list does not let it go is DST-03's
                // finding, not a second one.
                let strict_elsewhere =
                    effective == Some(Class::StrengtBeskyttet) && !self.strict_allowed;
                x == (effective.is_some() && max.is_some() && effective > max && !strict_elsewhere)
            }),
            w.destination_kind.as_ref().is_none_or(|kinds| {
                self.destination
                    .and_then(|d| d.kind.as_ref())
                    .is_some_and(|k| kinds.contains(k))
            }),
            parse(&w.destination_max_below).is_none_or(|c| self.ceiling.is_some_and(|m| m < c)),
            w.strict_allowed.is_none_or(|x| x == self.strict_allowed),
        ];
        checks.into_iter().all(|c| c)
    }
}

/// Several own-tenant labels in force, or a LabelInfo label and an `MSIP_Label_*` property
/// set of the own tenant that name different labels.
fn label_conflict(r: &Subject) -> bool {
    let own: Vec<_> = r
        .labels
        .iter()
        .filter(|l| l.tenant == Tenant::Own)
        .collect();
    let active = own.iter().filter(|l| l.found.is_active()).count();
    let label = r.label.as_ref().map(|l| l.id.as_str());
    active > 1
        || own.iter().any(|l| {
            l.found.superseded
                && l.found.enabled != Some(false)
                && Some(l.found.id.as_str()) != label
        })
}
