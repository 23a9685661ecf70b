import Foundation
import Testing

@testable import FreedomPayCore

/// A card's end of validity is computed without `Calendar` on every debit: it must be the instant `Calendar`
/// gives, and a card's status at an instant must not change.
@Suite struct CardExpiryTests {
    @Test func arithmeticEndMatchesCalendarForEveryMonth() {
        for year in Array(1...40) + Array(1890...2300) + [1582, 1600, 1700, 1900, 2000, 2400, 9998, 9999] {
            for month in 1...12 {
                #expect(CardExpiry.end(month: month, year: year) == CardExpiry.calendarEnd(month: month, year: year), "\(month)/\(year)")
            }
        }
    }

    @Test func outOfRangeValuesKeepTheCalendarAnswer() {
        for (month, year) in [(0, 2030), (13, 2030), (-1, 2030), (6, 0), (6, -5), (6, 10_000)] {
            #expect(CardExpiry.end(month: month, year: year) == CardExpiry.calendarEnd(month: month, year: year), "\(month)/\(year)")
        }
    }

    @Test func statusTurnsExpiredAtTheFirstInstantOfTheNextMonth() throws {
        let state = CardState(status: .activated, expiryMonth: 2, expiryYear: 2028, currency: "KZT", clientID: nil)
        let end = try #require(ISO8601DateFormatter().date(from: "2028-03-01T00:00:00Z"))
        #expect(state.status(at: end.addingTimeInterval(-1)) == .activated)
        #expect(state.status(at: end) == .expired)
        let blocked = CardState(status: .closed, expiryMonth: 2, expiryYear: 2028, currency: "KZT", clientID: nil)
        #expect(blocked.status(at: end) == .closed)
    }
}
