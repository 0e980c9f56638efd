//! Text of the legacy binary formats (Office 97–2003 and the binary workbook).

pub mod biff;
pub mod xls;
pub mod xlsb;
