import FreedomPayWire
import Testing

@Suite struct PGAmountTests {
    @Test func parsesDocsAmountsWithoutFloatingPoint() {
        #expect(PGAmount.parseMinor("1500") == .success(150_000))
        #expect(PGAmount.parseMinor("482.5") == .success(48_250))
        #expect(PGAmount.parseMinor("0.01") == .success(1))
        #expect(PGAmount.parseMinor("10.50") == .success(1_050))
        #expect(PGAmount.parseMinor("10.500") == .success(1_050))
        #expect(PGAmount.parseInRange("99999999") == .success(9_999_999_900))
    }

    @Test func refusesMalformedAndOutOfRangeAmounts() {
        #expect(PGAmount.parseMinor("1.001") == .failure(.tooManyDecimals))
        for bad in ["", "abc", "1,5", "-1", "1e3", ".5", "5.", " 5"] {
            #expect(PGAmount.parseMinor(bad) == .failure(.notANumber), "\(bad)")
        }
        #expect(PGAmount.parseInRange("0") == .failure(.outOfRange))
        #expect(PGAmount.parseInRange("0.00") == .failure(.outOfRange))
        #expect(PGAmount.parseInRange("99999999.01") == .failure(.outOfRange))
    }

    @Test func rendersLikeTheDocs() {
        #expect(PGAmount.render(150_000) == "1500")
        #expect(PGAmount.render(48_250) == "482.5")
        #expect(PGAmount.render(1) == "0.01")
        #expect(PGAmount.render(-1_000) == "-10")
        #expect(PGAmount.render(105) == "1.05")
    }
}
