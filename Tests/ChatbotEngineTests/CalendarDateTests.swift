import Testing
@testable import ChatbotEngine

@Suite struct CalendarDateTests {
    @Test func parsesBothFormats() {
        #expect(CalendarDate("2027-01-31") == CalendarDate(year: 2027, month: 1, day: 31))
        #expect(CalendarDate("31/01/2027") == CalendarDate(year: 2027, month: 1, day: 31))
        #expect(CalendarDate("2024-02-29") == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(CalendarDate("29/02/2000") == CalendarDate(year: 2000, month: 2, day: 29))
    }

    @Test func rejectsImpossibleDaysAndOtherShapes() {
        for bad in ["2027-02-29", "29/02/1900", "2027-13-01", "2027-00-10", "2027-04-31", "00/01/2027", "0000-01-01",
                    "2027-1-31", "1/1/2027", " 2027-01-31", "2027/01/31", "31-01-2027", "2027-01-3a", "", "2027-01-31T00"] {
            #expect(CalendarDate(bad) == nil, "\(bad)")
        }
    }

    @Test func calendarRules() {
        #expect(CalendarDate.isLeapYear(2024) && CalendarDate.isLeapYear(2000))
        #expect(!CalendarDate.isLeapYear(1900) && !CalendarDate.isLeapYear(2027))
        #expect((1...12).map { CalendarDate.daysIn(month: $0, year: 2027) } == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        #expect(CalendarDate.daysIn(month: 2, year: 2024) == 29)
        #expect(CalendarDate.daysIn(month: 13, year: 2024) == 0)
        #expect(CalendarDate(validYear: 2027, month: 6, day: 31) == nil)
        #expect(CalendarDate(validYear: 10000, month: 1, day: 1) == nil)
    }

    @Test func descriptionIsISOAndRoundTrips() {
        #expect(CalendarDate(year: 7, month: 3, day: 9).description == "0007-03-09")
        let d = CalendarDate(year: 2027, month: 12, day: 1)
        #expect(CalendarDate(d.description) == d)
    }

    @Test func ordering() {
        #expect(CalendarDate(year: 2026, month: 12, day: 31) < CalendarDate(year: 2027, month: 1, day: 1))
        #expect(CalendarDate(year: 2027, month: 1, day: 2) > CalendarDate(year: 2027, month: 1, day: 1))
    }

    @Test func todayIsAValidRecentDate() {
        let today = CalendarDate.today()
        #expect(CalendarDate(validYear: today.year, month: today.month, day: today.day) != nil)
        #expect(today >= CalendarDate(year: 2025, month: 1, day: 1))
        #expect(today.year < 2200)
    }
}
