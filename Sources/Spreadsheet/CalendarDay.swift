/// Calendar arithmetic for spreadsheet dates, without Foundation.
enum CalendarDay {
    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days-from-civil).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysSinceEpoch`.
    static func civil(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The day of an Excel serial number, or nil outside Excel's range (1900/1904-01-01 … 9999-12-31).
    ///
    /// In the 1900 system Excel (after Lotus 1-2-3) counts the non-existent 29/02/1900 as
    /// serial 60: serial 1 is 1900-01-01, and serials from 61 on are one day later than a
    /// plain count would say. The time of day (fraction) is dropped.
    static func fromExcelSerial(_ serial: Double, date1904: Bool) -> (year: Int, month: Int, day: Int)? {
        guard serial.isFinite, serial >= (date1904 ? 0 : 1), serial < 2_958_466 else { return nil }
        let whole = Int(serial.rounded(.down))
        if date1904 {
            return civil(daysSinceEpoch: daysSinceEpoch(year: 1904, month: 1, day: 1) + whole)
        }
        if whole == 60 { return (1900, 2, 29) }
        let base = daysSinceEpoch(year: 1899, month: 12, day: whole < 60 ? 31 : 30)
        return civil(daysSinceEpoch: base + whole)
    }

    /// "2027-01-31", optionally followed by a time ("2027-01-31T00:00:00"); nil when not a valid date.
    static func fromISO(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        if text.utf8.count > 10 && text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: 10)] != UInt8(ascii: "T") {
            return nil
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        return (year, month, day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
