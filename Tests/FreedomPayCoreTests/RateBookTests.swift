import Foundation
import FreedomPayCore
import FreedomPayWire
import Testing

@Suite struct RateBookTests {
    let usdKZT = RateKey(from: "USD", to: "KZT")
    let base = Date(timeIntervalSince1970: 1_700_000_000)

    func rate(_ sequence: Int64, _ value: String, start: TimeInterval, end: TimeInterval? = nil, key: RateKey? = nil) -> Rate {
        Rate(sequence: sequence, key: key ?? usdKZT, value: Decimal(string: value)!, startsAt: base + start,
             endsAt: end.map { base + $0 }, receivedAt: base)
    }

    @Test func noRateBeforeTheFirstWindowStarts() {
        let book = [rate(1, "441.507", start: 100, end: 200)]
        #expect(RateBook.inForce(book, key: usdKZT, at: base + 99) == nil)
    }

    @Test func rateInForceInsideItsWindowAndNotAfterItsEnd() {
        let book = [rate(1, "441.507", start: 100, end: 200)]
        #expect(RateBook.inForce(book, key: usdKZT, at: base + 100)?.value == Decimal(string: "441.507"))
        #expect(RateBook.inForce(book, key: usdKZT, at: base + 199)?.sequence == 1)
        #expect(RateBook.inForce(book, key: usdKZT, at: base + 200) == nil)
    }

    @Test func newerRateClosesTheOlderOneAtItsStart() {
        let book = [rate(1, "440", start: 0), rate(2, "450", start: 100, end: 200)]
        #expect(RateBook.inForce(book, key: usdKZT, at: base + 50)?.value == 440)
        #expect(RateBook.inForce(book, key: usdKZT, at: base + 150)?.value == 450)
        // The newer rate's end does not bring the older one back: it was closed at 100.
        #expect(RateBook.inForce(book, key: usdKZT, at: base + 250) == nil)
    }

    @Test func aRateWhoseWindowWasOverOnArrivalNeverGovernsNorClosesOthers() throws {
        let late = try RateBook.validate(
            PartnerRate(currencyFrom: "USD", currencyTo: "KZT", rate: 1, startDate: "2023-09-20 12:00:00", endDate: "2023-09-20 12:00:00"),
            index: 0, receivedAt: base)
        let stored = Rate(sequence: 2, key: late.key, value: late.value, startsAt: late.startsAt, endsAt: late.endsAt, receivedAt: base)
        #expect(stored.isEmptyWindow)
        let book = [rate(1, "440", start: 0), stored]
        #expect(RateBook.inForce(book, key: usdKZT, at: base + 10)?.value == 440)
    }

    @Test func laterReceiptWinsOverAnEarlierScheduledRate() {
        let book = [rate(1, "460", start: 500), rate(2, "455", start: 0)]
        #expect(RateBook.inForce(book, key: usdKZT, at: base + 600)?.value == 455)
    }

    @Test func keysDoNotMix() {
        let sell = RateKey(from: "USD", to: "KZT", type: "p2p", operation: "sell")
        let book = [rate(1, "440", start: 0), rate(2, "470", start: 0, key: sell)]
        #expect(RateBook.inForce(book, key: usdKZT, at: base + 1)?.value == 440)
        #expect(RateBook.inForce(book, key: sell, at: base + 1)?.value == 470)
        #expect(RateBook.inForce(book, key: RateKey(from: "EUR", to: "KZT"), at: base + 1) == nil)
    }

    @Test func validateKeepsTheDecimalExactAndStartsPastDatesAtReceipt() throws {
        let many = Decimal(string: "0.0022650123456789012345678")!
        let validated = try RateBook.validate(
            PartnerRate(currencyFrom: "KZT", currencyTo: "USD", rate: many, startDate: "2019-01-01 12:00:00"), index: 0, receivedAt: base)
        #expect(validated.value == many)
        #expect("\(validated.value)" == "0.0022650123456789012345678")
        #expect(validated.startsAt == base)
        #expect(RateBook.wire(Rate(sequence: 1, key: validated.key, value: validated.value, startsAt: base, endsAt: nil, receivedAt: base)).rate == many)
    }

    @Test func validateRefusesBadRates() {
        let cases: [(PartnerRate, String)] = [
            (PartnerRate(currencyFrom: "usd", currencyTo: "KZT", rate: 1), "rates[0].currency_from"),
            (PartnerRate(currencyFrom: "USD", currencyTo: "USD", rate: 1), "rates[0].currency_to"),
            (PartnerRate(currencyFrom: "USD", currencyTo: "KZT", rate: 0), "rates[0].rate"),
            (PartnerRate(currencyFrom: "USD", currencyTo: "KZT", rate: 1, operation: "swap"), "rates[0].operation"),
            (PartnerRate(currencyFrom: "USD", currencyTo: "KZT", rate: 1, startDate: "2030-01-01"), "rates[0].start_date"),
            (PartnerRate(currencyFrom: "USD", currencyTo: "KZT", rate: 1, startDate: "2030-01-02 00:00:00", endDate: "2030-01-01 00:00:00"), "rates[0].end_date"),
        ]
        for (input, field) in cases {
            let error = #expect(throws: RateProblem.self) {
                _ = try RateBook.validate(input, index: 0, receivedAt: base)
            }
            #expect(error?.message.contains(field) == true, "\(field)")
        }
    }

    @Test func conversionIsExactDecimalMultiplication() {
        let usd = rate(1, "441.507", start: 0)
        #expect(usd.convert(Decimal(string: "100.25")!) == Decimal(string: "44261.07675")!)
    }

    @Test func wireDecodingReadsTheNumberTextExactly() throws {
        let json = #"{"rates":[{"currency_from":"USD","currency_to":"KZT","rate":441.507},{"currency_from":"KZT","currency_to":"USD","rate":0.00226500123456789012345}]}"#
        let request = try JSONDecoder().decode(AddRatesRequest.self, from: Data(json.utf8))
        #expect(request.rates[0].rate == Decimal(string: "441.507")!)
        #expect("\(request.rates[0].rate)" == "441.507")
        #expect("\(request.rates[1].rate)" == "0.00226500123456789012345")
        let single = try JSONDecoder().decode(AddRatesRequest.self, from: Data(#"{"rates":{"currency_from":"EUR","currency_to":"KZT","rate":480.1}}"#.utf8))
        #expect(single.rates.count == 1)
    }
}
