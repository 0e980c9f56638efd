//! Text of the legacy binary formats (Office 97–2003 and the binary workbook), read from
//! their specifications.

pub mod biff;
pub mod doc;
pub mod ppt;
pub mod xls;
pub mod xlsb;
