import FreedomPayCore
import Testing

/// Transaction ids, financial document ids, SMS codes and PANs come from `RandomToken.digits`: they must be
/// digits of the asked length, never start with 0 when told so, and every digit must be equally likely.
@Suite struct RandomTokenTests {
    @Test func digitsHaveTheAskedLengthAndALeadingNonZero() {
        for length in [1, 4, 7, 8, 9, 10, 16, 19] {
            for _ in 0..<200 {
                let token = RandomToken.digits(length)
                #expect(token.count == length)
                #expect(token.utf8.allSatisfy { $0 >= 48 && $0 <= 57 })
                #expect(token.first != "0")
            }
        }
        #expect(RandomToken.digits(0).isEmpty)
    }

    @Test func everyDigitIsEquallyLikelyInEveryPosition() {
        // 20,000 tokens of 10 digits: each position's digit counts within a loose chi-square bound
        // (9 degrees of freedom; 40 is far beyond the 0.01% tail), so a biased generator fails.
        var counts = Array(repeating: Array(repeating: 0, count: 10), count: 10)
        let draws = 20_000
        for _ in 0..<draws {
            for (position, byte) in RandomToken.digits(10, firstNonZero: false).utf8.enumerated() { counts[position][Int(byte - 48)] += 1 }
        }
        for position in 0..<10 {
            let score = Self.chiSquare(counts[position], expected: Double(draws) / 10)
            #expect(score < 40, "position \(position): \(counts[position])")
        }
        var leading = Array(repeating: 0, count: 10)
        for _ in 0..<draws { leading[Int(RandomToken.digits(3).utf8.first! - 48)] += 1 }
        #expect(leading[0] == 0)
        let score = Self.chiSquare(Array(leading[1...]), expected: Double(draws) / 9)
        #expect(score < 40, "leading digits: \(leading)")
    }

    static func chiSquare(_ counts: [Int], expected: Double) -> Double {
        var total = 0.0
        for count in counts {
            let difference = Double(count) - expected
            total += difference * difference / expected
        }
        return total
    }

    /// Transaction ids and fin document numbers draw from `IdentifierRandom` (a buffer refilled every 512 draws):
    /// no draw repeats across refills, and its digits are as uniform as the system generator's.
    @Test func identifierRandomIsUniformAndDoesNotRepeatAcrossRefills() {
        var random = IdentifierRandom()
        var seen = Set<UInt64>()
        for _ in 0..<5_000 { seen.insert(random.next()) }
        #expect(seen.count == 5_000)
        var counts = Array(repeating: 0, count: 10)
        let draws = 20_000
        for _ in 0..<draws {
            for byte in RandomToken.digits(5, firstNonZero: false, using: &random).utf8 { counts[Int(byte - 48)] += 1 }
        }
        #expect(Self.chiSquare(counts, expected: Double(draws * 5) / 10) < 40, "\(counts)")
    }
}
