import FreedomPayCore
import Foundation
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("1500", 150_000 as Int64), ("1500.5", 150_050), ("1500.50", 150_050), ("0.01", 1), ("99999999", 9_999_999_900),
        ("0", 0), ("007.10", 710), ("-5.25", -525),
    ])
    func parsesDecimalStringsExactly(text: String, minor: Int64) throws {
        #expect(try Money.parse(text, currency: .kzt).minorUnits == minor)
    }

    @Test(arguments: ["", "abc", "1,5", "1.", ".5", "1e2", "+5", "1.2.3", " ", "0x10", "NaN"])
    func refusesWhatIsNotADecimal(text: String) {
        #expect(throws: MoneyError.self) { try Money.parse(text, currency: .kzt) }
    }

    @Test func refusesMoreDecimalsThanTheCurrencyHas() throws {
        #expect(throws: MoneyError.tooManyDecimals("1.005", allowed: 2)) { try Money.parse("1.005", currency: .usd) }
        #expect(throws: MoneyError.tooManyDecimals("1.5", allowed: 0)) { try Money.parse("1.5", currency: .jpy) }
        #expect(try Money.parse("1.005", currency: .kwd).minorUnits == 1005)
    }

    @Test func refusesAmountsThatOverflow() {
        #expect(throws: MoneyError.tooLarge("123456789012345678901")) { try Money.parse("123456789012345678901", currency: .kzt) }
    }

    @Test func decimalFromJSONNumberIsExact() throws {
        struct Body: Decodable { let amount: Decimal }
        let body = try JSONDecoder().decode(Body.self, from: Data(#"{"amount":0.07}"#.utf8))
        #expect(try Money(decimal: body.amount, currency: .kzt).minorUnits == 7)
        #expect(Money(minorUnits: 7, currency: .kzt).decimal == Decimal(string: "0.07"))
    }

    @Test func rendersFixedAndCompactForms() {
        #expect(Money(minorUnits: 150_050, currency: .kzt).fixedString == "1500.50")
        #expect(Money(minorUnits: 150_050, currency: .kzt).compactString == "1500.5")
        #expect(Money(minorUnits: 150_000, currency: .kzt).compactString == "1500")
        #expect(Money(minorUnits: -5, currency: .kzt).fixedString == "-0.05")
        #expect(Money(minorUnits: 42, currency: .jpy).fixedString == "42")
    }

    @Test func paymentRangeIsOneMinorUnitToNinetyNineMillion() throws {
        #expect(try AmountRange.payments.parse("0.01", currency: .kzt).minorUnits == 1)
        #expect(try AmountRange.payments.parse("99999999", currency: .kzt).minorUnits == 9_999_999_900)
        #expect(throws: MoneyError.self) { try AmountRange.payments.parse("0", currency: .kzt) }
        #expect(throws: MoneyError.self) { try AmountRange.payments.parse("-1", currency: .kzt) }
        #expect(throws: MoneyError.self) { try AmountRange.payments.parse("99999999.01", currency: .kzt) }
    }
}

@Suite struct PostingTests {
    let card = AccountKey.card("40010077", .kzt)
    let world = AccountKey.external(.kzt)

    @Test func aTransferBalances() throws {
        let posting = try Posting.transfer(id: "p1", kind: "card.credit", amountMinor: 500, from: world, to: card)
        #expect(posting.entries.map(\.amountMinor).reduce(0, +) == 0)
        #expect(posting.netByAccount[card] == 500)
    }

    @Test func anUnbalancedPostingCannotBeBuilt() {
        #expect(throws: LedgerError.unbalanced(currency: "KZT", differenceMinor: 1)) {
            try Posting(id: "p", kind: "x", entries: [LedgerEntry(card, 501), LedgerEntry(world, -500)])
        }
    }

    @Test func balanceIsPerCurrency() throws {
        let usdCard = AccountKey.card("1", .usd)
        #expect(throws: LedgerError.self) {
            try Posting(id: "p", kind: "fx", entries: [LedgerEntry(card, -44_150), LedgerEntry(usdCard, 100)])
        }
        let converted = try Posting(id: "p", kind: "fx", entries: [
            LedgerEntry(card, -44_150), LedgerEntry(.exchange(.kzt), 44_150),
            LedgerEntry(.exchange(.usd), -100), LedgerEntry(usdCard, 100),
        ])
        #expect(converted.accountsInLockOrder.count == 4)
    }

    @Test func zeroAndSingleEntriesAreRefused() {
        #expect(throws: LedgerError.self) { try Posting(id: "p", kind: "x", entries: [LedgerEntry(card, 0), LedgerEntry(world, 0)]) }
        #expect(throws: LedgerError.self) { try Posting(id: "p", kind: "x", entries: [LedgerEntry(card, 1)]) }
    }

    @Test func locksAreTakenInKeyOrder() throws {
        let posting = try Posting.transfer(id: "p", kind: "x", amountMinor: 1, from: card, to: world)
        #expect(posting.accountsInLockOrder.map(\.storageKey) == ["card:40010077:KZT", "external:world:KZT"])
        #expect(AccountKey(storageKey: "card:40010077:KZT") == card)
        #expect(AccountKey(storageKey: "card:a:b:XXX") == nil)
    }

    @Test func availableRespectsTheOverdraftLimit() {
        let balance = AccountBalance(account: card, postedMinor: 1000, heldMinor: 300, overdraftLimitMinor: 0)
        #expect(balance.availableMinor == 700)
        #expect(balance.canSpend(700))
        #expect(!balance.canSpend(701))
        let credit = AccountBalance(account: card, postedMinor: 0, heldMinor: 0, overdraftLimitMinor: 5000)
        #expect(credit.canSpend(5000))
        #expect(!credit.canSpend(5001))
    }
}
