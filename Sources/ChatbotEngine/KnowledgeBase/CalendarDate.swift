// STUB — completed by the knowledge-base parser work.
/// A day in the proleptic Gregorian calendar, without time zone.
public struct CalendarDate: Sendable, Equatable, Comparable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
