#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A day in the proleptic Gregorian calendar, without time zone.
///
/// Text forms: `YYYY-MM-DD` (ISO 8601, what `description` writes) and `DD/MM/YYYY`
/// (the French form used by the Usine à chatbots import template). Both are read with
/// validation: month 1–12, day within the month, 29 February only in leap years.
public struct CalendarDate: Sendable, Equatable, Comparable, Hashable, LosslessStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Stores the fields as given, without validation (see `init?(validYear:month:day:)`).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// A date, or `nil` when the day does not exist (year 1–9999).
    public init?(validYear year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD` or `DD/MM/YYYY` (exact digit counts, no surrounding spaces);
    /// `nil` for any other text or a day that does not exist.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for k in range {
                guard b[k] >= UInt8(ascii: "0"), b[k] <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(b[k] - UInt8(ascii: "0"))
            }
            return value
        }
        if b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
           let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) {
            self.init(validYear: y, month: m, day: d)
        } else if b[2] == UInt8(ascii: "/"), b[5] == UInt8(ascii: "/"),
                  let d = number(0..<2), let m = number(3..<5), let y = number(6..<10) {
            self.init(validYear: y, month: m, day: d)
        } else {
            return nil
        }
    }

    /// The day `days` after 1970-01-01 (negative: before), in the proleptic Gregorian calendar.
    public init(daysSince1970 days: Int) {
        // Count in 400-year eras (146,097 days) starting on 0000-03-01, so that the leap day
        // ends each year and month lengths follow a fixed pattern.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Number of days of `month` (1–12) in `year`; 0 for a month outside 1–12.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Today's date in UTC, so that every host agrees on when an item expires.
    public static func today() -> CalendarDate {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        return CalendarDate(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    }

    /// `YYYY-MM-DD`, zero-padded.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let s = String(value)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
