//! Document properties parts. `docProps/custom.xml` holds the older `MSIP_Label_*` labels.

use quick_xml::events::Event;

use crate::xml;

/// The custom properties as (name, value) pairs, in document order. The value is the text
/// of the property's typed child (`vt:lpwstr`, `vt:bool`, `vt:i4`, …), references resolved.
pub fn custom(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut r = xml::reader(text);
    let mut props = Vec::new();
    let mut current: Option<(String, String)> = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if xml::is(&e, "property") => {
                current = Some((xml::attr(&e, "name").unwrap_or_default(), String::new()));
            }
            Ok(Event::Empty(e)) if xml::is(&e, "property") => {
                props.push((xml::attr(&e, "name").unwrap_or_default(), String::new()));
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "property" => {
                props.extend(current.take())
            }
            Ok(Event::Text(t)) => {
                if let Some((_, v)) = current.as_mut() {
                    v.push_str(&t.xml10_content());
                }
            }
            Ok(Event::CData(t)) => {
                if let Some((_, v)) = current.as_mut() {
                    v.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(g)) => {
                if let Some((_, v)) = current.as_mut() {
                    xml::push_ref(&g, v);
                }
            }
            Ok(Event::Eof) => return Ok(props),
            Ok(_) => {}
            Err(e) => return Err(xml::ill_formed(&r, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_typed_values_and_references() {
        let xml = r#"<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="MSIP_Label_x_Name"><vt:lpwstr>Beskyttet &amp; &#xC5;pen</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Flag"><vt:bool>true</vt:bool></property><property pid="4" name="Empty"/></Properties>"#;
        let p = custom(xml).unwrap();
        assert_eq!(
            p[0],
            ("MSIP_Label_x_Name".into(), "Beskyttet & Åpen".into())
        );
        assert_eq!(p[1], ("Flag".into(), "true".into()));
        assert_eq!(p[2], ("Empty".into(), String::new()));
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(custom("<Properties><property name=\"a></Properties>").is_err());
    }
}
