import Foundation
import FreedomPayCore
import FreedomPayWire
import Testing

@Suite struct PANTests {
    @Test func generatedPANsAreLuhnValidInTheTestBIN() {
        for _ in 0..<200 {
            let pan = PAN.generate()
            #expect(pan.count == 16)
            #expect(pan.hasPrefix("440043"))
            #expect(PAN.isLuhnValid(pan), "\(pan)")
        }
    }

    @Test func luhnKnownValues() {
        #expect(PAN.isLuhnValid("4111111111111111"))
        #expect(!PAN.isLuhnValid("4111111111111112"))
        #expect(PAN.luhnCheckDigit("411111111111111") == 1)
        #expect(!PAN.isLuhnValid("79927398713"), "too short to be a card number")
    }

    @Test func maskKeepsSixAndFour() {
        #expect(PAN.mask("4400431234561234") == "440043******1234")
    }
}

@Suite struct PINSecurityTests {
    @Test func hashVerifiesOnlyTheRightPINAndIsSalted() throws {
        let first = try PINHash.make("1234", rounds: 1000)
        let second = try PINHash.make("1234", rounds: 1000)
        #expect(first != second, "two hashes of one PIN differ by salt")
        #expect(!first.contains("1234"))
        #expect(first.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(PINHash.verify("1234", against: first))
        #expect(!PINHash.verify("1235", against: first))
        #expect(!PINHash.verify("1234", against: "garbage"))
    }

    @Test func onlyFourDigitsArePINs() {
        #expect((try? PINHash.validate("0000")) != nil)
        for bad in ["123", "12345", "12a4", "", "١٢٣٤"] {
            #expect(throws: CardRuleError.self) { try PINHash.validate(bad) }
        }
    }

    @Test func counterLocksAfterThreeWrongTriesUntilReset() {
        var counter = PINTryCounter(failedTries: 0)
        #expect(counter.record(correct: false) == .wrong(remainingTries: 2))
        #expect(counter.record(correct: true) == .accepted)
        #expect(counter.failedTries == 0)
        #expect(counter.record(correct: false) == .wrong(remainingTries: 2))
        #expect(counter.record(correct: false) == .wrong(remainingTries: 1))
        #expect(counter.record(correct: false) == .locked)
        #expect(counter.record(correct: true) == .locked, "the right PIN is refused while locked")
        counter.reset()
        #expect(counter.record(correct: true) == .accepted)
    }
}

@Suite struct LimitRulesTests {
    @Test func amountsParseExactlyPerCurrency() throws {
        let parse = { (value: String, currency: String) in
            try LimitRules.limits([LimitEntry(transactionType: "pay", amount: [LimitAmount(type: "max", value: value, currency: currency)])]).first?.maxMinor
        }
        #expect(try parse("1500.5", "KZT") == 150_050)
        #expect(try parse("100", "JPY") == 100)
        for (bad, currency) in [("-1", "KZT"), ("1.234", "KZT"), ("1.5", "JPY"), ("1e3", "KZT"), ("abc", "KZT")] {
            #expect(throws: CardRuleError.self, "\(bad) \(currency)") { try parse(bad, currency) }
        }
        #expect(throws: CardRuleError.self) { try parse("1", "XXX") }
        #expect(CardLimit(transactionType: "pay", region: "all", period: "day", maxMinor: 750_050, currency: "USD").max.compactString == "7500.5")
    }

    @Test func parsesDocumentedExampleAndNamesBadFields() throws {
        let limits = try LimitRules.limits([
            LimitEntry(transactionType: "withdrawal_atm", period: "month", amount: [LimitAmount(type: "max", value: "5000", currency: "USD")]),
        ])
        #expect(limits == [CardLimit(transactionType: "withdrawal_atm", region: "all", period: "month", maxMinor: 500_000, currency: "USD")])
        #expect(throws: CardRuleError.validation("field 'limits[0].period' must be one of day, week, month")) {
            try LimitRules.limits([LimitEntry(transactionType: "pay", period: "decade", amount: [LimitAmount(type: "max", value: "1", currency: "KZT")])])
        }
        #expect(throws: CardRuleError.validation("field 'object.type' must be card, account or client")) {
            try LimitRules.target(LimitObject(type: "wallet", value: "1"))
        }
    }

    @Test func policyRefusesADebitAboveWhatIsLeft() {
        let limits = [
            CardLimit(transactionType: "pay", region: "all", period: "day", maxMinor: 10_000, currency: "KZT"),
            CardLimit(transactionType: "withdrawal_atm", region: "abroad", period: "month", maxMinor: 5_000, currency: "KZT"),
        ]
        let check = { (amount: Int64, type: String, region: String, used: Int64) in
            LimitPolicy.check(amountMinor: amount, currency: "KZT", transactionType: type, region: region, limits: limits) { _ in used }
        }
        #expect(check(4_000, "pay", "domestic", 6_000) == .allowed)
        #expect(check(4_001, "pay", "domestic", 6_000) == .exceeded(limits[0], availableMinor: 4_000))
        #expect(check(9_000, "withdrawal_atm", "domestic", 0) == .allowed, "the abroad limit does not apply at home")
        #expect(check(9_000, "withdrawal_atm", "abroad", 0) == .exceeded(limits[1], availableMinor: 5_000))
        #expect(LimitPolicy.check(amountMinor: 1_000_000, currency: "USD", transactionType: "pay", region: "all", limits: limits) { _ in 0 } == .allowed)
    }

    @Test func periodStarts() {
        let now = Date(timeIntervalSince1970: 1_740_823_200)  // 2025-03-01T10:00:00Z, a Saturday
        #expect(LimitPolicy.periodStart(of: "day", now: now) == Date(timeIntervalSince1970: 1_740_787_200))
        #expect(LimitPolicy.periodStart(of: "month", now: now) == Date(timeIntervalSince1970: 1_740_787_200))
        #expect(LimitPolicy.periodStart(of: "week", now: now) == Date(timeIntervalSince1970: 1_740_355_200))
    }
}

@Suite struct CardholderScoreTests {
    @Test func exactMatchIsHundredPercentAndNotFishy() {
        let score = CardholderScore(firstName: ("ivan", "IVAN"), lastName: ("Ivanov", "IVANOV"), phone: ("+7 707 707 0707", "77077070707"))
        #expect(score.text == "100.00%")
        #expect(!score.fishy)
    }

    @Test func partialMatchHasTwoDecimalsAndIsFishy() {
        let score = CardholderScore(firstName: ("Petr", "IVAN"), lastName: ("Ivanov", "IVANOV"), phone: ("7000000000", "77077070707"))
        #expect(score.text.hasSuffix("%"))
        #expect(score.text.split(separator: ".").last?.count == 3, "two decimals then %: \(score.text)")
        #expect(score.hundredthsOfPercent < 10_000)
        #expect(score.fishy)
    }
}
